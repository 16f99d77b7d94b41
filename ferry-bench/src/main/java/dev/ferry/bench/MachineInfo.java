package dev.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** What the benchmark ran on: cores, memory, CPU model, OS and JVM, in one line. */
final class MachineInfo {

  private MachineInfo() {}

  /** A one-line description of this machine and JVM. */
  static String describe() {
    Runtime rt = Runtime.getRuntime();
    StringBuilder out = new StringBuilder();
    out.append(rt.availableProcessors()).append(" cores");
    cpuModel().ifPresent(m -> out.append(" (").append(m).append(')'));
    physicalMemory()
        .ifPresent(
            bytes ->
                out.append(
                    String.format(Locale.ROOT, ", %.0f GB RAM", bytes / (1024.0 * 1024 * 1024))));
    out.append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(", Java ")
        .append(System.getProperty("java.version"))
        .append(" (")
        .append(System.getProperty("java.vm.name"))
        .append(String.format(Locale.ROOT, ", heap max %d MB)", rt.maxMemory() / (1024 * 1024)));
    return out.toString();
  }

  /** The number of cores the JVM may use. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The system load average of the last minute, or a negative number where unknown. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static Optional<Long> physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Optional.of(os.getTotalMemorySize());
    }
    return Optional.empty();
  }

  private static Optional<String> cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
