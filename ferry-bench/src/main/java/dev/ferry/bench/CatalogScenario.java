package dev.ferry.bench;

import dev.ferry.pipeline.map.MappingLanguage;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Ferry's catalog sink under test: values decoded and mapped to entities, {@code
 * body.format=grouped}, {@code delta.mode=collapse}, the catalog's batch defaults ({@code
 * batch.max.records=10000}, {@code batch.max.bytes} 1 MiB) except {@code batch.linger.ms}, lowered
 * so the tail of a run does not wait 60 s.
 *
 * @param language the mapping's language
 * @param mapping the mapping file
 * @param tasks {@code tasks.max}
 * @param inFlight {@code max.in.flight.requests}
 */
record CatalogScenario(MappingLanguage language, Path mapping, int tasks, int inFlight)
    implements FerryScenario {
  static final int LINGER_MS = 1000;
  static final String DELTA_MODE = "collapse";

  /** {@code JSONata} or {@code JavaScript}. */
  String languageName() {
    return language == MappingLanguage.JSONATA ? "JSONata" : "JavaScript";
  }

  @Override
  public String label() {
    return String.format(
        Locale.ROOT,
        "Ferry grouped+%s, %s, %d %s, %d in flight",
        DELTA_MODE,
        languageName(),
        tasks,
        tasks == 1 ? "task" : "tasks",
        inFlight);
  }

  @Override
  public String namePrefix() {
    return "catalog-" + language.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean countedAtTarget() {
    return false;
  }

  @Override
  public Map<String, String> connectorConfig(String topic, URI url) {
    Map<String, String> c = SinkScenario.baseConfig(topic, url, tasks);
    c.put("mapping.language", language.name().toLowerCase(Locale.ROOT));
    c.put("mapping.source", "file:" + mapping.toAbsolutePath());
    c.put("body.format", "grouped");
    c.put("delta.mode", DELTA_MODE);
    c.put("batch.linger.ms", Integer.toString(LINGER_MS));
    c.put("max.in.flight.requests", Integer.toString(inFlight));
    return c;
  }
}
