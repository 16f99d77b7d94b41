package dev.ferry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteArrayEndPoint;
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

  /** A connection as Jetty hands it to the pool to read the next request: it runs itself. */
  private static final class Resume extends AbstractConnection implements Runnable {
    private final Consumer<Thread> onRun;

    Resume(Consumer<Thread> onRun) {
      super(new ByteArrayEndPoint(), Runnable::run);
      this.onRun = onRun;
    }

    @Override
    public void onFillable() {}

    @Override
    public void run() {
      onRun.accept(Thread.currentThread());
    }
  }

  @Test
  void aConnectionATaskHandsToThePoolRunsOnItsThreadAfterIt() throws Exception {
    List<String> steps = new CopyOnWriteArrayList<>();
    CompletableFuture<Thread> resumed = new CompletableFuture<>();
    CompletableFuture<Thread> task = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () -> {
              threads.execute(
                  new Resume(
                      t -> {
                        steps.add("resume");
                        resumed.complete(t);
                      }));
              steps.add("task");
              task.complete(Thread.currentThread());
            });
    assertThat(resumed.get(10, TimeUnit.SECONDS)).isSameAs(task.get());
    assertThat(steps).containsExactly("task", "resume");
    assertThat(task.get()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void theConnectionRunsAlsoWhenTheTaskFails() throws Exception {
    CompletableFuture<Thread> resumed = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () -> {
              threads.execute(new Resume(resumed::complete));
              throw new AssertionError("an Error in the task: the connection must still resume");
            });
    assertThat(resumed.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void otherJobsGoToThePoolAtOnce() throws Exception {
    // A task waiting for a job it handed to the pool: deferring the job would never end the wait.
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () -> {
              CountDownLatch ran = new CountDownLatch(1);
              threads.execute(ran::countDown);
              try {
                done.complete(ran.await(5, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                done.completeExceptionally(e);
              }
            });
    assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void connectionsHandedToThePoolAfterTheTaskAreNotKept() throws Exception {
    // The resumed connection hands another connection to the pool and waits for it: kept for
    // later on the same thread, it would never run.
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    threads
        .keepingOwnJobs()
        .execute(
            () ->
                threads.execute(
                    new Resume(
                        t -> {
                          CountDownLatch ran = new CountDownLatch(1);
                          threads.execute(new Resume(other -> ran.countDown()));
                          try {
                            done.complete(ran.await(5, TimeUnit.SECONDS));
                          } catch (InterruptedException e) {
                            done.completeExceptionally(e);
                          }
                        })));
    assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
