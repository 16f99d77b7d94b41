package dev.ferry.pipeline.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages and metas for mapping tests. */
final class Messages {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A product of about 1 KB, as a catalogue topic would carry it. */
  static final String PRODUCT =
      """
      {"sku": "P-1", "title": "Blue widget with a rather long descriptive title",
       "description": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
      tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
      exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.",
       "price": 19.99, "currency": "EUR", "stock": 42, "active": true,
       "brand": {"id": 7, "name": "Acme", "country": "DE"},
       "categories": ["tools", "widgets", "blue", "garden"],
       "attributes": [{"name": "color", "value": "blue"}, {"name": "size", "value": "M"},
                      {"name": "weight", "value": "1.2kg"}, {"name": "material", "value": "steel"}],
       "variants": [{"sku": "P-1-S", "price": 18.99, "stock": 10},
                    {"sku": "P-1-M", "price": 19.99, "stock": 20},
                    {"sku": "P-1-L", "price": 20.99, "stock": 12}],
       "images": ["https://cdn.example.com/p/P-1/front.jpg",
                  "https://cdn.example.com/p/P-1/back.jpg"],
       "seo": {"slug": "blue-widget", "keywords": ["widget", "blue", "steel", "tool"]},
       "updatedAt": "2024-05-01T12:00:00Z", "tags": ["new", "sale"], "discontinued": null}
      """;

  private Messages() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode product() {
    return json(PRODUCT);
  }

  static JsonNode product(String sku) {
    return json(PRODUCT.replace("\"P-1\"", "\"" + sku + "\""));
  }

  static MessageMeta meta() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("tenant", "acme");
    headers.put("source", "erp");
    return new MessageMeta("products", 3, 17, "P-1", 1_714_564_800_000L, headers);
  }

  static MessageMeta meta(String key) {
    return new MessageMeta("products", 0, 1, key, -1, Map.of());
  }
}
