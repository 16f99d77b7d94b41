package dev.ferry.pipeline.request;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipeline.record.PipelineRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target URL with placeholders filled from each record: {@code ${topic}}, {@code ${partition}},
 * {@code ${offset}}, {@code ${key}} and {@code ${value.some.field}} (a field of a JSON value, dots
 * between names). Substituted values are URL-encoded.
 */
public final class UrlTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String template;
  private final List<String> literals = new ArrayList<>();
  private final List<Function<PipelineRecord, String>> parts = new ArrayList<>();
  private final boolean readsValue;

  private UrlTemplate(String template) {
    this.template = template;
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    boolean value = false;
    while (m.find()) {
      literals.add(template.substring(last, m.start()));
      String name = m.group(1).strip();
      parts.add(part(name, template));
      value |= name.startsWith("value.");
      last = m.end();
    }
    literals.add(template.substring(last));
    this.readsValue = value;
  }

  /**
   * @throws IllegalArgumentException naming an unknown placeholder or a URL that is not absolute
   */
  public static UrlTemplate parse(String template) {
    UrlTemplate t = new UrlTemplate(template.strip());
    URI sample;
    try {
      sample = URI.create(t.render(new PipelineRecord("t", 0, 0, -1, "k", null, List.of(), null)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + template
              + "' is not a valid URL ("
              + e.getMessage()
              + "): write it like https://api.example.com/items, placeholders allowed",
          e);
    }
    String scheme =
        sample.getScheme() == null ? "" : sample.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!sample.isAbsolute()
        || sample.getHost() == null
        || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException(
          "'"
              + template
              + "' is not an absolute http or https URL: write it like https://api.example.com/items");
    }
    return t;
  }

  private static Function<PipelineRecord, String> part(String name, String template) {
    switch (name) {
      case "topic":
        return PipelineRecord::topic;
      case "partition":
        return r -> Integer.toString(r.partition());
      case "offset":
        return r -> Long.toString(r.offset());
      case "key":
        return r -> r.key() == null ? "" : r.key();
      default:
        if (name.startsWith("value.") && name.length() > 6) {
          JsonPointer pointer = JsonPointer.compile("/" + name.substring(6).replace('.', '/'));
          return r -> valueField(r, pointer);
        }
        throw new IllegalArgumentException(
            "'${"
                + name
                + "}' in '"
                + template
                + "' is not a known placeholder: use ${topic}, ${partition}, ${offset}, ${key} or"
                + " ${value.field}");
    }
  }

  private static String valueField(PipelineRecord r, JsonPointer pointer) {
    if (r.value() == null) {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(r.value()).at(pointer);
      return node.isMissingNode() || node.isNull() ? "" : node.asText();
    } catch (IOException notJson) {
      return "";
    }
  }

  /** True when every record gets the same URL. */
  public boolean isStatic() {
    return parts.isEmpty();
  }

  /** True when the URL reads fields of the value. */
  public boolean readsValue() {
    return readsValue;
  }

  public String render(PipelineRecord record) {
    if (parts.isEmpty()) {
      return template;
    }
    StringBuilder url = new StringBuilder(literals.get(0));
    for (int i = 0; i < parts.size(); i++) {
      url.append(
          URLEncoder.encode(parts.get(i).apply(record), StandardCharsets.UTF_8)
              .replace("+", "%20"));
      url.append(literals.get(i + 1));
    }
    return url.toString();
  }

  @Override
  public String toString() {
    return template;
  }
}
