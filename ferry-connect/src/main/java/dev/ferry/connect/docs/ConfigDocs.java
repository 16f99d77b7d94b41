package dev.ferry.connect.docs;

import dev.ferry.connect.sink.config.HttpSinkConfig;
import dev.ferry.connect.sink.config.SeedAliases;
import dev.ferry.connect.sink.report.SinkMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** Renders the sink's config reference as Markdown, from the ConfigDef itself. */
public final class ConfigDocs {
  private ConfigDocs() {}

  /** Writes the reference to the given file ({@code docs/http-sink-connector.md}). */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
  }

  public static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# HTTP sink connector: configuration reference\n\n")
        .append("<!-- Generated from HttpSinkConfig by ConfigDocs; the build fails when it drifts.")
        .append(" Regenerate: ./mvnw -pl ferry-connect test -Dferry.docs.update=true -->\n\n")
        .append("`\"connector.class\": \"HttpSinkConnector\"` (or")
        .append(" `dev.ferry.connect.sink.HttpSinkConnector`). Connect's own keys (`topics`,")
        .append(" `tasks.max`, converters, `errors.*`) apply as usual.\n");
    Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
    for (ConfigDef.ConfigKey key : HttpSinkConfig.CONFIG_DEF.configKeys().values()) {
      groups.computeIfAbsent(key.group, g -> new java.util.ArrayList<>()).add(key);
    }
    groups.forEach(
        (group, keys) -> {
          md.append("\n## ").append(group).append("\n\n");
          md.append("| key | description | type | default | valid values | importance |\n");
          md.append("|---|---|---|---|---|---|\n");
          keys.sort(java.util.Comparator.comparingInt(k -> k.orderInGroup));
          for (ConfigDef.ConfigKey k : keys) {
            md.append("| `")
                .append(k.name)
                .append("` | ")
                .append(cell(k.documentation))
                .append(" | ")
                .append(k.type.name().toLowerCase(java.util.Locale.ROOT))
                .append(" | ")
                .append(defaultOf(k))
                .append(" | ")
                .append(k.validator == null ? "" : cell(k.validator.toString()))
                .append(" | ")
                .append(k.importance.name().toLowerCase(java.util.Locale.ROOT))
                .append(" |\n");
          }
        });
    md.append("\n## Metrics\n\nPer task, in JMX under")
        .append(" `kafka.connect:type=plugins,connector=<name>,task=<id>`:\n\n")
        .append("| metric | meaning |\n|---|---|\n");
    SinkMetrics.DESCRIPTIONS.forEach(
        (metric, meaning) ->
            md.append("| `").append(metric).append("` | ").append(meaning).append(" |\n"));
    md.append("\n## Seed aliases\n\n| seed key | Ferry key |\n|---|---|\n");
    SeedAliases.ALIASES.forEach(
        (alias, key) -> md.append("| `").append(alias).append("` | `").append(key).append("` |\n"));
    return md.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey k) {
    if (!k.hasDefault()) {
      return "*required*";
    }
    if (k.defaultValue == null) {
      return "";
    }
    String v =
        k.defaultValue instanceof List<?> list
            ? String.join(",", list.stream().map(String::valueOf).toList())
            : String.valueOf(k.defaultValue);
    return v.isEmpty() ? "\"\"" : "`" + v + "`";
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
