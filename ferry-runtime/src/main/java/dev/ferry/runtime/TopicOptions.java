package dev.ferry.runtime;

import picocli.CommandLine.Option;

/** The cluster and topic of {@code ferry produce} and {@code ferry consume}. */
final class TopicOptions {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      defaultValue = "localhost:9092",
      description = "The Kafka cluster (default: ${DEFAULT-VALUE}, the one of ferry up).")
  String bootstrapServers;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic.")
  String topic;
}
