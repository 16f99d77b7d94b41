package dev.ferry.runtime;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ferry's plugin classes for the CLI, loaded from the unpacked plugin archive the worker runs (the
 * runtime does not put the plugin on its own class path, so Connect finds it only once, in
 * isolation). Only JDK types cross the class loader boundary.
 */
final class FerryPlugin {
  private static final String CONNECTION_CHECK = "dev.ferry.connect.kafka.ConnectionCheck";
  private static final String PROFILE_CONFIG = "dev.ferry.connect.kafka.KafkaProfileConfig";
  private static final String KAFKA_ERRORS = "dev.ferry.connect.kafka.KafkaErrors";
  private static final String PROFILE = "dev.ferry.connect.kafka.KafkaProfile";
  private static final String CONFIG_EXCEPTION = "org.apache.kafka.common.config.ConfigException";

  /** The outcome of {@code ConnectionCheck.forConnector}: ok, and one line a step. */
  record CheckResult(boolean ok, String report) {}

  /**
   * A valid profile of the worker's own cluster: its brokers, its Kafka client configs (secrets
   * included: never log them), its one-line description (no secret) and, for OAUTHBEARER, its token
   * endpoint. {@code toString()} is the description.
   */
  record WorkerProfile(
      String bootstrapServers,
      Map<String, String> clientProps,
      String description,
      Optional<String> tokenEndpoint) {
    WorkerProfile {
      clientProps = Map.copyOf(clientProps);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** A step of a call into the plugin, given its class loader. */
  @FunctionalInterface
  private interface PluginCall<T> {
    T call(ClassLoader plugin) throws ReflectiveOperationException;
  }

  private FerryPlugin() {}

  /**
   * Runs the plugin's connection check on a connector config whose references are resolved.
   *
   * @throws IllegalStateException when the plugin cannot be found or loaded
   */
  static CheckResult checkConnection(Path pluginPath, Map<String, String> props, Duration timeout) {
    try {
      return call(
          pluginPath,
          plugin -> {
            Object result =
                Class.forName(CONNECTION_CHECK, true, plugin)
                    .getMethod("forConnector", Map.class, Duration.class)
                    .invoke(null, props, timeout);
            boolean ok = (Boolean) result.getClass().getMethod("ok").invoke(result);
            return new CheckResult(ok, result.toString());
          });
    } catch (InvocationTargetException e) {
      // Its message might hold a config value: name the type only.
      throw new IllegalStateException(
          "the connection check itself failed ("
              + e.getCause().getClass().getName()
              + "): run with --verbose, or report it",
          e.getCause());
    }
  }

  /**
   * Checks the {@code kafka.*} profile of the worker's own cluster by a connector profile's rules
   * ({@code KafkaProfileConfig.forWorker}) and turns it into client configs. References must be
   * resolved already.
   *
   * @throws IllegalArgumentException when the profile is invalid: the message names the key and the
   *     fix, never a secret
   * @throws IllegalStateException when the plugin cannot be found or loaded
   */
  static WorkerProfile workerProfile(Path pluginPath, Map<String, String> props) {
    try {
      return call(
          pluginPath,
          plugin -> {
            Object profile =
                Class.forName(PROFILE_CONFIG, true, plugin)
                    .getMethod("forWorker", Map.class)
                    .invoke(null, props);
            Class<?> type = Class.forName(PROFILE, true, plugin);
            @SuppressWarnings("unchecked")
            Map<String, String> clientProps =
                (Map<String, String>) type.getMethod("clientProps").invoke(profile);
            @SuppressWarnings("unchecked")
            Optional<String> tokenEndpoint =
                (Optional<String>) type.getMethod("tokenEndpoint").invoke(profile);
            return new WorkerProfile(
                (String) type.getMethod("bootstrapServers").invoke(profile),
                clientProps,
                (String) type.getMethod("describe").invoke(profile),
                tokenEndpoint);
          });
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause.getClass().getName().equals(CONFIG_EXCEPTION)) {
        // Kafka's own messages show [hidden] for passwords; Ferry's name the key and the fix.
        throw new IllegalArgumentException(cause.getMessage(), cause);
      }
      throw new IllegalStateException(
          "checking the Kafka settings failed ("
              + cause.getClass().getName()
              + "): run with --verbose, or report it",
          cause);
    }
  }

  /**
   * The plugin's translation of a Kafka client failure ({@code KafkaErrors.translate}): what failed
   * and which key to check, never a raw message; empty when the plugin cannot translate.
   *
   * @param props the resolved profile the failing client was built from
   */
  static Optional<String> translate(Path pluginPath, Throwable error, Map<String, String> props) {
    try {
      return Optional.of(
          call(
              pluginPath,
              plugin -> {
                Object profile =
                    Class.forName(PROFILE_CONFIG, true, plugin)
                        .getMethod("from", Map.class)
                        .invoke(null, props);
                Class<?> type = Class.forName(PROFILE, true, plugin);
                return (String)
                    Class.forName(KAFKA_ERRORS, true, plugin)
                        .getMethod("translate", Throwable.class, type)
                        .invoke(null, error, profile);
              }));
    } catch (InvocationTargetException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  /** Calls into the plugin with a class loader over its jars (Kafka's come from the runtime). */
  private static <T> T call(Path pluginPath, PluginCall<T> call) throws InvocationTargetException {
    try (URLClassLoader loader =
        new URLClassLoader(
            jars(pluginPath).toArray(URL[]::new), FerryPlugin.class.getClassLoader())) {
      return call.call(loader);
    } catch (InvocationTargetException e) {
      throw e;
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException(
          "cannot load Ferry's plugin from " + pluginPath + " (" + e + "): rebuild it", e);
    }
  }

  /** The jars of the plugin directory under {@code pluginPath} that holds ferry-connect. */
  private static List<URL> jars(Path pluginPath) throws IOException {
    Path root = pluginPath.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(
          "plugin path "
              + root
              + " does not exist: build it (bin/ferry does) or pass --plugin-path");
    }
    try (DirectoryStream<Path> plugins = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path plugin : plugins) {
        List<URL> jars = new ArrayList<>();
        boolean ferry = false;
        Path lib = plugin.resolve("lib");
        if (!Files.isDirectory(lib)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lib, "*.jar")) {
          for (Path jar : files) {
            ferry |= jar.getFileName().toString().startsWith("ferry-connect-");
            jars.add(url(jar));
          }
        }
        if (ferry) {
          return jars;
        }
      }
    }
    throw new IllegalStateException(
        "no Ferry plugin (lib/ferry-connect-*.jar) under "
            + root
            + ": build it (bin/ferry does) or pass --plugin-path");
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException("bad plugin jar path " + jar, e);
    }
  }
}
