package dev.ferry.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM shutdown hook (Ctrl-C, SIGTERM, {@code System.exit}): stops the event gateway first
 * (answers in flight finish), then the Connect worker, then the embedded broker both write to,
 * releases the data dir lock and logs "stopped". Components are registered before they start, so a
 * failed start-up stops only what runs.
 */
final class ShutdownSequence {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile DataDirLock dataDirLock;
  private volatile EmbeddedBroker broker;
  private volatile ConnectWorker worker;
  private volatile GatewayRunner gateway;
  private volatile boolean stopping;

  /** Starts components, registering each with the sequence before it starts. */
  @FunctionalInterface
  interface Start {
    void start(ShutdownSequence shutdown) throws InterruptedException;
  }

  /**
   * Installs a sequence, runs {@code start} and waits until the sequence stopped everything
   * (Ctrl-C, SIGTERM). A failed start-up prints its one-line message.
   *
   * @return the exit code: 0 after a stop, 1 when start-up failed
   */
  static int runUntilStopped(Start start) throws InterruptedException {
    ShutdownSequence shutdown = new ShutdownSequence();
    shutdown.install();
    try {
      start.start(shutdown);
    } catch (StartupException e) {
      log.debug("Start-up failed", e);
      System.err.println("ferry: " + e.getMessage());
      return 1;
    }
    shutdown.awaitStopped();
    return 0;
  }

  /** Registers the hook with the JVM; call once, before starting anything. */
  void install() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::run, "ferry-shutdown"));
  }

  /** The data dir lock, released after the broker stopped. */
  void dataDirLock(DataDirLock lock) {
    this.dataDirLock = lock;
  }

  /** The broker to stop last; call before starting it. */
  void broker(EmbeddedBroker broker) {
    requireNotStopping();
    this.broker = broker;
  }

  /** The worker to stop first; call before starting it. */
  void worker(ConnectWorker worker) {
    requireNotStopping();
    this.worker = worker;
  }

  /** The event gateway, stopped before the worker; call before starting it. */
  void gateway(GatewayRunner gateway) {
    requireNotStopping();
    this.gateway = gateway;
  }

  private void requireNotStopping() {
    if (stopping) {
      throw new StartupException("stopped while starting");
    }
  }

  /** Blocks until the hook has stopped everything. */
  void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private void run() {
    stopping = true;
    try {
      long start = System.nanoTime();
      GatewayRunner g = gateway;
      ConnectWorker w = worker;
      EmbeddedBroker b = broker;
      boolean any = g != null || (w != null && w.running()) || (b != null && b.running());
      if (any) {
        log.info("Stopping Ferry ...");
      }
      if (g != null) {
        stop("Event gateway", g::stop);
      }
      if (w != null) {
        stop("Kafka Connect", w::stop);
      }
      if (b != null) {
        stop("Kafka", b::stop);
      }
      DataDirLock lock = dataDirLock;
      if (lock != null) {
        lock.close();
      }
      if (any) {
        log.info("Ferry stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Runs {@code stop}, which reports whether it had something to stop; never throws. */
  private static void stop(String what, BooleanSupplier stop) {
    try {
      long start = System.nanoTime();
      if (stop.getAsBoolean()) {
        log.info("{} stopped ({} ms)", what, (System.nanoTime() - start) / 1_000_000);
      }
    } catch (RuntimeException e) {
      log.warn("{} did not stop cleanly: {}", what, StartupException.rootMessage(e), e);
    }
  }
}
