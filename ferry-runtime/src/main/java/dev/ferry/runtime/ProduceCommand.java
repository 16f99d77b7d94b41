package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry produce}: writes the lines of a file (or standard input) to a topic, one message per
 * line, keyed by a field of each JSON line when asked; for trying a pipeline without a Kafka
 * distribution at hand.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = "Write each line of FILE (or - for standard input) to a topic as one message.")
final class ProduceCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin TopicOptions kafka;

  @Option(
      names = "--key-field",
      paramLabel = "FIELD",
      description = "Use this top-level field of each JSON line as the message key.")
  String keyField;

  @Parameters(paramLabel = "FILE", description = "Newline-delimited messages; - for stdin.")
  String file;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            15_000);
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    int line = 0;
    try (BufferedReader in = open();
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      String text;
      while ((text = in.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        byte[] key = keyOf(text, line);
        acks.add(
            producer.send(
                new ProducerRecord<>(kafka.topic, key, text.getBytes(StandardCharsets.UTF_8))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      System.err.println(
          "ferry produce: Kafka at "
              + kafka.bootstrapServers
              + " refused: "
              + e.getCause().getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("ferry produce: " + e.getMessage());
      return 2;
    }
    System.out.println(acks.size() + " message(s) written to " + kafka.topic);
    return 0;
  }

  private BufferedReader open() throws IOException {
    if ("-".equals(file)) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
  }

  private byte[] keyOf(String text, int line) {
    if (keyField == null) {
      return null;
    }
    JsonNode key;
    try {
      key = JSON.readTree(text).get(keyField);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "line " + line + " is not JSON, so it has no " + keyField + " to use as the key");
    }
    if (key == null || key.isNull() || key.isContainerNode()) {
      throw new IllegalArgumentException(
          "line " + line + " has no text or number field " + keyField + " to use as the key");
    }
    return key.asText().getBytes(StandardCharsets.UTF_8);
  }
}
