package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test (its own failsafe execution) and reads everything the
 * suite logged — each module's test output, the workers' and brokers' logs among it, and the output
 * of the {@code bin/ferry} subprocesses of {@link FerryCliIT} — for the secrets the tests handed to
 * Ferry.
 */
class LogScanIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void noSecretAppearsInAnyLogTheSuiteWrote() throws IOException {
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        for (String reports : List.of("surefire-reports", "failsafe-reports")) {
          Path dir = module.resolve("target").resolve(reports);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
              files
                  .filter(f -> f.toString().endsWith(".txt") || f.toString().endsWith(".log"))
                  .filter(f -> !f.getFileName().toString().contains("LogScanIT"))
                  .forEach(logs::add);
            }
          }
        }
      }
    }
    assertThat(logs)
        .as("the secure sink's log is among those read")
        .anySatisfy(f -> assertThat(f.getFileName().toString()).contains("SecureSinkIT-output"));
    assertThat(logs)
        .as("the output of the bin/ferry subprocesses is among those read")
        .anySatisfy(f -> assertThat(f.getFileName().toString()).startsWith("FerryCliIT-up"));
    List<String> leaks = new ArrayList<>();
    long bytes = 0;
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      bytes += text.length();
      for (String secret : TestSecrets.ALL) {
        int at = text.indexOf(secret);
        if (at >= 0) {
          int lineStart = text.lastIndexOf('\n', at) + 1;
          int lineEnd = text.indexOf('\n', at);
          leaks.add(
              log.getFileName()
                  + ": "
                  + text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd).strip());
        }
      }
    }
    assertThat(bytes).as("something was logged").isPositive();
    assertThat(leaks).as("secrets found in logs").isEmpty();
  }
}
