package dev.ferry.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Product messages in the shape of {@code examples/catalog/products.ndjson}, as many as wanted:
 * each example product that is not removed serves as a template, and product {@code s} takes
 * template {@code s % templates} with its own sku ({@code P-<1000000+s>}, also in its variants'
 * skus and image URLs), its own prices and stock, and the description extended to a message of
 * about {@value #TARGET_BYTES} bytes.
 *
 * <p>As a topic ({@link #record}), every sku appears {@link #UPDATES_PER_SKU} times with different
 * prices and stock, keyed by sku (the producer partitions by key, so the updates of a product stay
 * in order in one partition), shuffled within blocks of {@link #BLOCK} messages: with 6 partitions,
 * the updates of a product are spread over about 2,000 messages of its partition, two grouped
 * batches of 1 MiB of values, so collapsing them in a batch has work but does not catch all. The
 * last update of every {@link #DELETE_EVERY}th product deletes it ({@code "removed": true}).
 */
final class CatalogProducts implements RecordSource {
  static final int TARGET_BYTES = 1024;
  static final int UPDATES_PER_SKU = 3;
  static final int BLOCK = 12_000;
  static final int DELETE_EVERY = 50;
  static final String FILE = "products.ndjson";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MORE_TEXT = {
    " Made to last for many seasons of daily use.",
    " Ships within two working days from our warehouse.",
    " Tested by our team on trails, roads and tracks.",
    " Free returns within 30 days of delivery.",
    " Care: machine wash cold, do not tumble dry.",
  };

  private final List<Template> templates;

  private long blockStart = -1;
  private int[] blockSku = new int[0];
  private int[] blockUpdate = new int[0];
  private long produced;
  private long producedBytes;
  private long producedEntities;

  /**
   * An example product, its description already extended to about {@value #TARGET_BYTES} bytes of
   * message, and its sku.
   */
  private record Template(ObjectNode product, String sku) {}

  private CatalogProducts(List<Template> templates) {
    this.templates = templates;
  }

  /** Reads the templates from {@code products.ndjson} in {@code examples}. */
  static CatalogProducts load(Path examples) {
    Path file = examples.resolve(FILE);
    List<Template> templates = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode product = JSON.readTree(line);
        if (product instanceof ObjectNode o
            && o.path("sku").isTextual()
            && !o.path("removed").asBoolean(false)) {
          templates.add(padded(new Template(o, o.get("sku").asText()), templates.size()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the example products " + file, e);
    }
    if (templates.isEmpty()) {
      throw new IllegalStateException("no product in " + file + " to use as a template");
    }
    return new CatalogProducts(templates);
  }

  /** The template with its description extended so that a message is about the target size. */
  private static Template padded(Template t, int index) throws JsonProcessingException {
    JsonNode description = t.product().get("description");
    int size = JSON.writeValueAsBytes(render(t, index, 0, false)).length;
    if (description == null || !description.isTextual() || size >= TARGET_BYTES) {
      return t;
    }
    StringBuilder longer = new StringBuilder(description.asText());
    int missing = TARGET_BYTES - size;
    for (int i = index; missing > 0; i++) {
      String more = MORE_TEXT[i % MORE_TEXT.length];
      longer.append(more);
      missing -= more.length();
    }
    ObjectNode product = t.product().deepCopy();
    product.put("description", longer.toString());
    return new Template(product, t.sku());
  }

  /** The number of templates. */
  int templates() {
    return templates.size();
  }

  /** The sku of product {@code s}. */
  static String sku(long s) {
    return "P-" + (1_000_000 + s);
  }

  /**
   * Update {@code update} of product {@code s}: the template with this sku, prices and stock; when
   * {@code removed}, the product's deletion.
   */
  byte[] product(long s, int update, boolean removed) {
    try {
      return JSON.writeValueAsBytes(
          render(templates.get((int) (s % templates.size())), s, update, removed));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode render(Template t, long s, int update, boolean removed) {
    ObjectNode p = t.product().deepCopy();
    replaceText(p, t.sku(), sku(s));
    SplittableRandom random = new SplittableRandom(s * 1_000_003L + update);
    double factor = 0.8 + 0.4 * random.nextDouble();
    JsonNode base = p.path("price").path("amount");
    BigDecimal price = null;
    if (base.isNumber()) {
      price = roundPrice(base.asDouble() * factor);
      ((ObjectNode) p.get("price")).put("amount", price);
    }
    if (p.path("stock") instanceof ObjectNode stock) {
      stock.put("available", random.nextInt(60));
    }
    for (JsonNode v : p.path("variants")) {
      if (v.path("price") instanceof ObjectNode vp && price != null) {
        vp.put("amount", price);
      }
      if (v.path("stock") instanceof ObjectNode vs) {
        vs.put("available", random.nextInt(20));
      }
    }
    p.put("updated_at", "2026-11-20T10:" + two(update * 7 % 60) + ":" + two((int) (s % 60)) + "Z");
    if (removed) {
      p.put("removed", true);
    }
    return p;
  }

  /** Replaces {@code from} with {@code to} in every string value of the tree. */
  private static void replaceText(JsonNode node, String from, String to) {
    if (node instanceof ObjectNode o) {
      var fields = o.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getValue().isTextual()) {
          String text = f.getValue().asText();
          if (text.contains(from)) {
            f.setValue(TextNode.valueOf(text.replace(from, to)));
          }
        } else {
          replaceText(f.getValue(), from, to);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode e = a.get(i);
        if (e.isTextual()) {
          if (e.asText().contains(from)) {
            a.set(i, TextNode.valueOf(e.asText().replace(from, to)));
          }
        } else {
          replaceText(e, from, to);
        }
      }
    }
  }

  private static BigDecimal roundPrice(double amount) {
    // x.x5 or x.x9 like the examples: round to 0.1 and take off 0.05
    BigDecimal tenth = BigDecimal.valueOf(amount).setScale(1, RoundingMode.HALF_UP);
    return tenth.subtract(new BigDecimal("0.05")).max(new BigDecimal("0.95"));
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /** The first update of products {@code 0..n-1}, for the in-process mapping measurement. */
  List<byte[]> distinct(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      out.add(product(s, 0, false));
    }
    return out;
  }

  /** The number of distinct products in a topic of {@code n} messages. */
  static long skus(long n) {
    return (n + UPDATES_PER_SKU - 1) / UPDATES_PER_SKU;
  }

  /**
   * Message {@code i} of the topic (keyed by sku, partitioned by the producer); see the class
   * comment. Called in order from one thread.
   */
  @Override
  public ProducerRecord<byte[], byte[]> record(String topic, int partitions, long i) {
    long start = i - i % BLOCK;
    if (start != blockStart) {
      shuffleBlock(start);
    }
    int at = (int) (i - start);
    long s = start / UPDATES_PER_SKU + blockSku[at];
    int update = blockUpdate[at];
    boolean removed = update == UPDATES_PER_SKU - 1 && s % DELETE_EVERY == DELETE_EVERY - 1;
    byte[] value = product(s, update, removed);
    produced++;
    producedBytes += value.length;
    producedEntities += entities(s);
    return new ProducerRecord<>(topic, null, sku(s).getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * The entities the example mappings make of product {@code s}: its item and one per variant
   * (upserts, or deletes when removed).
   */
  private int entities(long s) {
    return 1 + templates.get((int) (s % templates.size())).product().path("variants").size();
  }

  /** The average size of the messages {@link #record} made so far. */
  double averageBytes() {
    return produced == 0 ? 0 : (double) producedBytes / produced;
  }

  /** The entities the example mappings make of the messages {@link #record} made so far. */
  long entities() {
    return producedEntities;
  }

  /** Positions {@code start..start+BLOCK-1}: each product of the block thrice, shuffled. */
  private void shuffleBlock(long start) {
    int skus = BLOCK / UPDATES_PER_SKU;
    int[] order = new int[BLOCK];
    for (int k = 0; k < BLOCK; k++) {
      order[k] = k / UPDATES_PER_SKU;
    }
    SplittableRandom random = new SplittableRandom(start);
    for (int k = BLOCK - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int swap = order[k];
      order[k] = order[j];
      order[j] = swap;
    }
    int[] seen = new int[skus];
    blockSku = order;
    blockUpdate = new int[BLOCK];
    for (int k = 0; k < BLOCK; k++) {
      blockUpdate[k] = seen[order[k]]++;
    }
    blockStart = start;
  }
}
