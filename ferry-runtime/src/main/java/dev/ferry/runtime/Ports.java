package dev.ferry.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP port checks done before starting servers, so a busy port fails with a clear message. */
final class Ports {
  private Ports() {}

  /** Returns whether a server could listen on {@code host:port} right now. */
  static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails with a one-line message naming {@code host:port} and the option that changes it. */
  static void requireFree(String host, int port, String what, String option) {
    if (!isFree(host, port)) {
      throw new StartupException(
          String.format(
              "%s port %s:%d is already in use (another ferry or Kafka running?): stop it, or"
                  + " choose another port with %s",
              what, host, port, option));
    }
  }

  /** Returns a port that is free now on {@code host} (it may be taken again before use). */
  static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + host, e);
    }
  }
}
