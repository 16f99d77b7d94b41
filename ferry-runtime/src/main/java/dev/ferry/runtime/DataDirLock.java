package dev.ferry.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <data-dir>/ferry.lock}, held for the life of the process.
 *
 * <p>Two Kafka servers on one data directory corrupt each other's metadata log before Kafka's own
 * {@code .lock} check fires, so Ferry refuses to start a second broker on the same directory before
 * Kafka touches it. The lock file holds the owner's pid, for the error message.
 */
final class DataDirLock implements AutoCloseable {
  private static final String FILE_NAME = "ferry.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dataDir}, creating it if needed.
   *
   * @throws StartupException if another process holds the lock or the directory is unusable
   */
  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String owner = readOwner(channel);
        channel.close();
        throw new StartupException(
            "data dir "
                + dataDir
                + " is in use by another ferry"
                + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                + ": stop it, point this one at it with --bootstrap-servers, or use another"
                + " --data-dir");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StartupException(
          "cannot lock data dir " + dataDir + " (" + e.getMessage() + "): check --data-dir", e);
    }
  }

  /** Releases the lock (the OS also releases it when the process ends). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The channel is closed next, which releases the lock anyway.
    }
    closeQuietly(channel);
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }
}
