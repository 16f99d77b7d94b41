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

/**
 * Ferry's plugin classes for the CLI, loaded from the unpacked plugin archive the worker runs (the
 * runtime does not put the plugin on its own class path, so Connect finds it only once, in
 * isolation). Only JDK types cross the class loader boundary.
 */
final class FerryPlugin {
  private static final String CONNECTION_CHECK = "dev.ferry.connect.kafka.ConnectionCheck";

  /** The outcome of {@code ConnectionCheck.forConnector}: ok, and one line a step. */
  record CheckResult(boolean ok, String report) {}

  private FerryPlugin() {}

  /**
   * Runs the plugin's connection check on a connector config whose references are resolved.
   *
   * @throws IllegalStateException when the plugin cannot be found or loaded
   */
  static CheckResult checkConnection(Path pluginPath, Map<String, String> props, Duration timeout) {
    try (URLClassLoader loader =
        new URLClassLoader(
            jars(pluginPath).toArray(URL[]::new), FerryPlugin.class.getClassLoader())) {
      Class<?> check = Class.forName(CONNECTION_CHECK, true, loader);
      Object result =
          check.getMethod("forConnector", Map.class, Duration.class).invoke(null, props, timeout);
      boolean ok = (Boolean) result.getClass().getMethod("ok").invoke(result);
      return new CheckResult(ok, result.toString());
    } catch (InvocationTargetException e) {
      // Its message might hold a config value: name the type only.
      throw new IllegalStateException(
          "the connection check itself failed ("
              + e.getCause().getClass().getName()
              + "): run with --verbose, or report it",
          e.getCause());
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
