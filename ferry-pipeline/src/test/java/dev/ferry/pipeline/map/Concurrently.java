package dev.ferry.pipeline.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the same work on several threads at once and fails on the first failure of any. */
final class Concurrently {
  interface Work {
    void call(int thread, int call) throws Exception;
  }

  private Concurrently() {}

  static void run(int threads, int callsPerThread, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  for (int c = 0; c < callsPerThread; c++) {
                    work.call(thread, c);
                  }
                  return callsPerThread;
                }));
      }
      for (Future<Integer> future : done) {
        assertThat(future.get(60, TimeUnit.SECONDS)).isEqualTo(callsPerThread);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
