package dev.ferry.gateway;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor that holds Kafka's acknowledgements back while {@link #gate} is closed: to
 * the gateway, Kafka is slow to acknowledge, for exactly as long as a test wants. Configure it with
 * {@code gateway.producer.interceptor.classes}.
 */
public final class HoldAcks implements ProducerInterceptor<byte[], byte[]> {
  static volatile CountDownLatch gate = new CountDownLatch(0);
  static final AtomicInteger held = new AtomicInteger();

  @Override
  public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    CountDownLatch g = gate;
    if (g.getCount() > 0) {
      held.incrementAndGet();
      try {
        boolean unused = g.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
