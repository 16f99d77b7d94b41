package dev.ferry.runtime;

import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.config.ConfigException;

/**
 * The event gateway as the CLI runs it: its settings from a {@code gateway.*} properties file
 * (references resolved) and options, a development API key when {@code bin/ferry up} is given none,
 * then start and stop.
 */
final class GatewayRunner {
  /** Where {@code bin/ferry up} keeps the development key it made, inside the data dir. */
  static final String DEV_KEY_FILE = "gateway-dev-key";

  private final GatewayConfig config;
  private final Path devKeyFile;
  private final ReentrantLock lifecycle = new ReentrantLock();
  private volatile Gateway gateway;
  private volatile boolean stopped;

  private GatewayRunner(GatewayConfig config, Path devKeyFile) {
    this.config = config;
    this.devKeyFile = devKeyFile;
  }

  /**
   * Reads the settings.
   *
   * @param file a properties file of {@code gateway.*} keys, or null
   * @param host the host to listen on, or null for the file's (default localhost)
   * @param port the port, or null for the file's (default 8080)
   * @param devKeyDir where a development key is kept when no API key is configured; null when one
   *     must be configured ({@code bin/ferry gateway})
   * @param env the environment ({@value GatewayConfig#API_KEYS_ENV})
   * @throws StartupException naming the key or file at fault
   */
  static GatewayRunner prepare(
      Path file, String host, Integer port, Path devKeyDir, Map<String, String> env) {
    Map<String, String> props = new LinkedHashMap<>(read(file));
    if (host != null) {
      props.put(GatewayConfig.HOST, host);
    }
    if (port != null) {
      props.put(GatewayConfig.PORT, String.valueOf(port));
    }
    Path devKeyFile = null;
    boolean noKey =
        props.getOrDefault(GatewayConfig.API_KEYS, "").isBlank()
            && env.getOrDefault(GatewayConfig.API_KEYS_ENV, "").isBlank()
            && !"none".equalsIgnoreCase(props.getOrDefault(GatewayConfig.AUTH, "").strip());
    if (noKey && devKeyDir != null) {
      devKeyFile = devKeyDir.resolve(DEV_KEY_FILE);
      props.put(GatewayConfig.API_KEYS, devKey(devKeyFile));
    }
    try {
      return new GatewayRunner(GatewayConfig.from(props, env), devKeyFile);
    } catch (IllegalArgumentException e) {
      throw new StartupException(
          "event gateway: " + e.getMessage() + (file == null ? "" : " (in " + file + ")"), e);
    }
  }

  /** The file's keys with ${env:...} and ${file:...} resolved; empty when there is no file. */
  private static Map<String, String> read(Path file) {
    if (file == null) {
      return Map.of();
    }
    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      read.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot read the gateway settings "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): give a properties file of gateway.* keys",
          e);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    read.stringPropertyNames().stream().sorted().forEach(k -> raw.put(k, read.getProperty(k)));
    try {
      return ConfigReferences.resolve(raw);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot resolve a reference in the gateway settings " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The development key kept in {@code file}, made (random, readable by the owner only) when
   * missing, so that it stays the same across restarts of the same data dir.
   */
  private static String devKey(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (kept.length() >= 16) {
          return kept;
        }
      }
      byte[] random = new byte[20];
      new SecureRandom().nextBytes(random);
      String key = "ferry-dev-" + HexFormat.of().formatHex(random);
      Files.createDirectories(file.getParent());
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps its default permissions
      }
      return key;
    } catch (IOException e) {
      throw new StartupException(
          "cannot keep the gateway's development key in "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): set "
              + GatewayConfig.API_KEYS_ENV
              + " instead",
          e);
    }
  }

  GatewayConfig config() {
    return config;
  }

  /** The development key file, or null when the API keys were configured. */
  Path devKeyFile() {
    return devKeyFile;
  }

  /** The development key, or null when the API keys were configured. */
  String devKey() {
    return devKeyFile == null ? null : config.apiKeys().iterator().next();
  }

  /**
   * Starts the gateway writing to the cluster of {@code kafkaClientProps}.
   *
   * @throws StartupException when the port is taken or the gateway cannot start
   */
  void start(Map<String, String> kafkaClientProps, String portOption) {
    if (config.port() != 0) {
      Ports.requireFree(config.host(), config.port(), "Event gateway", portOption);
    }
    lifecycle.lock();
    try {
      if (stopped) {
        throw new StartupException("stopped while starting");
      }
      gateway = Gateway.start(config, new LinkedHashMap<>(kafkaClientProps));
    } catch (StartupException e) {
      throw e;
    } catch (Exception e) {
      throw new StartupException(
          "the event gateway failed to start: " + StartupException.rootMessage(e), e);
    } finally {
      lifecycle.unlock();
    }
  }

  /** The gateway's base URI; call after {@link #start}. */
  URI uri() {
    return gateway.uri();
  }

  /** Stops the gateway (answers in flight finish first); false when none was running. */
  boolean stop() {
    boolean locked = Lifecycle.lockForStop(lifecycle);
    try {
      stopped = true;
      Gateway running = gateway;
      if (running == null) {
        return false;
      }
      gateway = null;
      running.close();
      return true;
    } finally {
      if (locked) {
        lifecycle.unlock();
      }
    }
  }
}
