package dev.ferry.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The events of {@code ferry-bench gateway}: {@code n} distinct tracking events of exactly {@code
 * bytes} bytes of compact JSON each, like a web shop's analytics would send them ({@code
 * event_type} track, an {@code event_name} of a few, a {@code user_id} of 50,000 users, a random
 * {@code anonymous_id}, an ISO-8601 {@code timestamp}, a {@code context} with page, user agent and
 * IP, and {@code properties} of a product whose {@code description} pads the event to size, in
 * words drawn at random so it compresses like text). No {@code message_id}: the gateway generates
 * one per event (no dedupe bookkeeping). Seeded: every run sends the same events.
 */
final class GatewayEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMES = {
    "Product Viewed", "Product Added", "Product List Viewed", "Checkout Started", "Order Completed"
  };
  private static final String[] CATEGORIES = {"shoes", "jackets", "bags", "watches", "books"};
  private static final String[] WORDS = {
    "soft",
    "leather",
    "classic",
    "waterproof",
    "lightweight",
    "everyday",
    "premium",
    "cotton",
    "slim",
    "fit",
    "with",
    "and",
    "for",
    "the",
    "all",
    "season",
    "comfort",
    "sole",
    "recycled",
    "stitched",
    "handmade",
    "durable",
    "zip",
    "pocket",
    "adjustable",
    "strap",
    "breathable",
    "lining",
    "vintage",
    "wash",
    "organic",
    "colour",
    "black",
    "navy",
    "olive",
    "sand",
    "size"
  };
  private static final int USERS = 50_000;

  private final List<byte[]> events;

  private GatewayEvents(List<byte[]> events) {
    this.events = events;
  }

  /** Makes {@code n} distinct events of exactly {@code bytes} bytes each. */
  static GatewayEvents generate(int n, int bytes) {
    Random random = new Random(42);
    Instant base = Instant.parse("2026-12-01T09:00:00Z");
    List<byte[]> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      events.add(event(i, bytes, random, base));
    }
    return new GatewayEvents(events);
  }

  private static byte[] event(int i, int bytes, Random random, Instant base) {
    int product = random.nextInt(5_000);
    String category = CATEGORIES[product % CATEGORIES.length];
    ObjectNode e = JSON.createObjectNode();
    e.put("event_type", "track");
    e.put("event_name", NAMES[random.nextInt(NAMES.length)]);
    e.put("user_id", String.format(Locale.ROOT, "user-%06d", random.nextInt(USERS)));
    e.put("anonymous_id", new UUID(random.nextLong(), random.nextLong()).toString());
    e.put("timestamp", base.plusMillis(i * 37L + random.nextInt(37)).toString());
    ObjectNode context = e.putObject("context");
    context.putObject("library").put("name", "analytics.js").put("version", "4.1.0");
    context.put(
        "ip",
        String.format(
            Locale.ROOT,
            "10.%d.%d.%d",
            random.nextInt(256),
            random.nextInt(256),
            random.nextInt(256)));
    context.put("locale", random.nextBoolean() ? "en-US" : "de-DE");
    context.put(
        "user_agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0."
            + random.nextInt(9_999)
            + ".0 Safari/537.36");
    ObjectNode page = context.putObject("page");
    page.put("path", "/" + category + "/p-" + product);
    page.put("url", "https://shop.example.com/" + category + "/p-" + product);
    page.put(
        "referrer", "https://www.example.org/search?q=" + category + "+" + random.nextInt(999));
    page.put("title", "Product " + product + " | Example Shop");
    ObjectNode properties = e.putObject("properties");
    properties.put("product_id", "p-" + product);
    properties.put("sku", String.format(Locale.ROOT, "SKU-%05d-%02d", product, random.nextInt(40)));
    properties.put("category", category);
    properties.put("name", "Product " + product);
    properties.put("brand", "Brand " + (product % 97));
    properties.put("price", (random.nextInt(20_000) + 100) / 100.0);
    properties.put("currency", "EUR");
    properties.put("quantity", 1 + random.nextInt(3));
    properties.put("position", random.nextInt(48));
    properties.put("description", "");
    int without = size(e);
    int pad = bytes - without;
    if (pad < 0) {
      throw new IllegalArgumentException(
          "an event needs " + without + " bytes without padding, more than " + bytes);
    }
    properties.put("description", words(pad, random));
    byte[] out = bytes(e);
    if (out.length != bytes) {
      throw new IllegalStateException("made an event of " + out.length + " bytes, not " + bytes);
    }
    return out;
  }

  /** ASCII words of exactly {@code length} characters. */
  private static String words(int length, Random random) {
    StringBuilder s = new StringBuilder(length + 16);
    while (s.length() < length) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(WORDS[random.nextInt(WORDS.length)]);
    }
    s.setLength(length);
    return s.toString();
  }

  private static int size(JsonNode e) {
    return bytes(e).length;
  }

  private static byte[] bytes(JsonNode e) {
    try {
      return JSON.writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** How many distinct events there are. */
  int size() {
    return events.size();
  }

  /** Event {@code i} (modulo the count) as JSON bytes. */
  byte[] event(long i) {
    return events.get((int) (i % events.size()));
  }

  /**
   * Writes the request bodies of {@code perRequest} events each, one body per line, using every
   * event once: a single event as a JSON object, several as a JSON array.
   *
   * @return the number of bodies written
   */
  int writeBodies(Path file, int perRequest) throws IOException {
    int bodies = events.size() / perRequest;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int b = 0; b < bodies; b++) {
        if (perRequest == 1) {
          out.write(new String(events.get(b), StandardCharsets.UTF_8));
        } else {
          out.write('[');
          for (int k = 0; k < perRequest; k++) {
            if (k > 0) {
              out.write(',');
            }
            out.write(new String(events.get(b * perRequest + k), StandardCharsets.UTF_8));
          }
          out.write(']');
        }
        out.write('\n');
      }
    }
    return bodies;
  }
}
