package dev.ferry.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class EventProducerSettingsTest {

  @Test
  void durabilityCannotBeWeakened() {
    Map<String, Object> s =
        EventProducer.settings(
            Map.of(
                "bootstrap.servers",
                "kafka:9092",
                ProducerConfig.ACKS_CONFIG,
                "0",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "false",
                ProducerConfig.LINGER_MS_CONFIG,
                "20",
                ProducerConfig.CLIENT_ID_CONFIG,
                "mine"));
    assertThat(s.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat(s.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
    assertThat(s.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo("20");
    assertThat(s.get(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("mine");
    assertThat(s.get("bootstrap.servers")).isEqualTo("kafka:9092");
  }

  @Test
  void defaults() {
    Map<String, Object> s = EventProducer.settings(Map.of());
    assertThat(s.get(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("ferry-gateway");
    assertThat(s.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
    assertThat(s.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(30_000);
    assertThat(s.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
  }
}
