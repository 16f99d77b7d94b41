package dev.ferry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayThreadsTest {
  private static GatewayThreads threads;

  @BeforeAll
  static void start() throws Exception {
    threads = new GatewayThreads(8, 2);
    threads.start();
  }

  @AfterAll
  static void stop() throws Exception {
    threads.stop();
  }

  @Test
  void jobsATaskHandsToThePoolRunOnItsThreadAfterIt() throws Exception {
    List<String> steps = new CopyOnWriteArrayList<>();
    CompletableFuture<Thread> jobThread = new CompletableFuture<>();
    CompletableFuture<Thread> taskThread = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () -> {
              threads.execute(
                  () -> {
                    steps.add("job");
                    jobThread.complete(Thread.currentThread());
                  });
              steps.add("task");
              taskThread.complete(Thread.currentThread());
              throw new IllegalStateException("a failing task still lets its jobs run");
            });
    assertThat(jobThread.get(10, TimeUnit.SECONDS)).isSameAs(taskThread.get());
    assertThat(steps).containsExactly("task", "job");
    assertThat(taskThread.get()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void jobsHandedToThePoolOtherwiseRunOnAnyOfItsThreads() throws Exception {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    CompletableFuture<Thread> second = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () -> {
              // The task's own job runs after it; a job that job hands on goes to the pool as usual
              // (here it may start while this thread is still in the first job).
              threads.execute(
                  () -> {
                    ran.complete(Thread.currentThread());
                    threads.execute(() -> second.complete(Thread.currentThread()));
                  });
            });
    assertThat(ran.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
    CompletableFuture<Thread> plain = new CompletableFuture<>();
    threads.execute(() -> plain.complete(Thread.currentThread()));
    assertThat(plain.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
  }
}
