package dev.ferry.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The repeated throughput measurements of one mode; the median run stands for the mode, min and max
 * show how much the machine wobbled.
 */
final class Measurements {
  private final List<Throughput> runs = new ArrayList<>();

  /** Adds one run. */
  void add(Throughput run) {
    runs.add(run);
  }

  /** The number of runs. */
  int size() {
    return runs.size();
  }

  /** The run with the median rate (the lower middle one for an even count). */
  Throughput median() {
    List<Throughput> sorted = sorted();
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** The lowest rate in records/s. */
  double minRate() {
    return sorted().get(0).perSecond();
  }

  /** The highest rate in records/s. */
  double maxRate() {
    List<Throughput> sorted = sorted();
    return sorted.get(sorted.size() - 1).perSecond();
  }

  private List<Throughput> sorted() {
    if (runs.isEmpty()) {
      throw new IllegalStateException("no runs measured");
    }
    List<Throughput> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Throughput::perSecond));
    return sorted;
  }
}
