package dev.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU time used so far by each live thread of this JVM, by the whole process, and (on Linux) by
 * the whole machine, at one moment. Two snapshots give a {@link CpuUsage}.
 *
 * @param wallNanos {@link System#nanoTime()} when taken
 * @param processNanos CPU time of this process (all threads, also GC and JIT), or -1
 * @param machineNanos busy CPU time of the machine from {@code /proc/stat}, or -1
 * @param threads per live thread id: its name and CPU time
 * @param gcNanos CPU time of the JVM's garbage collector threads (Linux only, else 0)
 * @param jitNanos CPU time of the JVM's JIT compiler threads (Linux only, else 0)
 */
record CpuSnapshot(
    long wallNanos,
    long processNanos,
    long machineNanos,
    Map<Long, ThreadCpu> threads,
    long gcNanos,
    long jitNanos) {

  /**
   * One thread's CPU time.
   *
   * @param name the thread's name
   * @param nanos its CPU time so far
   */
  record ThreadCpu(String name, long nanos) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Path PROC_TASKS = Path.of("/proc/self/task");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  /** Takes a snapshot now. */
  static CpuSnapshot take() {
    Map<Long, ThreadCpu> threads = new HashMap<>();
    if (THREADS.isThreadCpuTimeSupported()) {
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = THREADS.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          threads.put(info.getThreadId(), new ThreadCpu(info.getThreadName(), cpu));
        }
      }
    }
    long[] gcJit = nativeJvmThreads();
    return new CpuSnapshot(
        System.nanoTime(), processCpu(), machineBusy(), threads, gcJit[0], gcJit[1]);
  }

  /**
   * CPU time of the JVM's own native threads, from {@code /proc/self/task/<tid>/stat}: {@code [gc,
   * jit]}.
   */
  private static long[] nativeJvmThreads() {
    long[] out = new long[2];
    if (!Files.isDirectory(PROC_TASKS)) {
      return out;
    }
    try (Stream<Path> tasks = Files.list(PROC_TASKS)) {
      tasks.forEach(
          task -> {
            try {
              String stat = Files.readString(task.resolve("stat"));
              int open = stat.indexOf('(');
              int close = stat.lastIndexOf(')');
              String comm = stat.substring(open + 1, close);
              int slot = comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? 0 : -1;
              if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                slot = 1;
              }
              if (slot >= 0) {
                String[] f = BLANKS.splitAsStream(stat.substring(close + 2)).toArray(String[]::new);
                out[slot] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
              }
            } catch (IOException | RuntimeException e) {
              // the thread ended meanwhile: its time is counted with the process
            }
          });
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** user + nice + system + irq + softirq + steal of the {@code cpu} line, in nanoseconds. */
  private static long machineBusy() {
    if (!Files.isReadable(PROC_STAT)) {
      return -1;
    }
    try {
      List<String> lines = Files.readAllLines(PROC_STAT);
      String[] f = BLANKS.splitAsStream(lines.get(0).trim()).toArray(String[]::new);
      if (!f[0].equals("cpu") || f.length < 9) {
        return -1;
      }
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
