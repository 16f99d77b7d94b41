package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ports of a {@link SecureKafka} broker: one per listener, picked free on localhost. */
final class ListenerPorts {
  private static final String HOST = "localhost";
  static final String CONTROLLER = "CONTROLLER";

  /** Listener name to security protocol. */
  private static final Map<String, String> PROTOCOLS =
      Map.of(
          SecureKafka.INTERNAL, "PLAINTEXT",
          SecureKafka.SASL_SSL, "SASL_SSL",
          SecureKafka.SSL, "SSL",
          SecureKafka.SASL_PLAINTEXT, "SASL_PLAINTEXT");

  private final Map<String, Integer> ports;
  private final int controller;

  private ListenerPorts(Map<String, Integer> ports, int controller) {
    this.ports = ports;
    this.controller = controller;
  }

  /** Picks distinct free ports (held together while picking, so they differ). */
  static ListenerPorts pick() {
    List<ServerSocket> held = new ArrayList<>();
    try {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (String listener : SecureKafka.LISTENERS) {
        ports.put(listener, hold(held));
      }
      return new ListenerPorts(ports, hold(held));
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // only a probe
        }
      }
    }
  }

  private static int hold(List<ServerSocket> held) throws IOException {
    ServerSocket socket = new ServerSocket();
    held.add(socket);
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
    return socket.getLocalPort();
  }

  /** {@code localhost:<port>} of a listener, by name (case-insensitive). */
  String bootstrap(String listener) {
    Integer port = ports.get(listener.toUpperCase(Locale.ROOT));
    if (port == null) {
      throw new IllegalArgumentException(
          "unknown listener " + listener + "; the broker has " + ports.keySet());
    }
    return HOST + ":" + port;
  }

  /** {@code localhost:<port>} of the controller. */
  String controller() {
    return HOST + ":" + controller;
  }

  /** The value of {@code listeners}: every listener, then the controller. */
  String listeners() {
    return advertised() + "," + CONTROLLER + "://" + controller();
  }

  /** The value of {@code advertised.listeners}: every listener but the controller. */
  String advertised() {
    List<String> out = new ArrayList<>();
    ports.keySet().forEach(name -> out.add(name + "://" + bootstrap(name)));
    return String.join(",", out);
  }

  /** The value of {@code listener.security.protocol.map}. */
  String protocolMap() {
    List<String> out = new ArrayList<>();
    ports.keySet().forEach(name -> out.add(name + ":" + PROTOCOLS.get(name)));
    out.add(CONTROLLER + ":PLAINTEXT");
    return String.join(",", out);
  }
}
