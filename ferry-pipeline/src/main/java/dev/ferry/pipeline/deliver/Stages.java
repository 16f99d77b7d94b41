package dev.ferry.pipeline.deliver;

import dev.ferry.pipeline.delta.Delta;
import dev.ferry.pipeline.delta.DeltaMode;
import dev.ferry.pipeline.shape.Shaper;

/**
 * The stages between a record and its request, run in the delivery lanes (so mapping is spread over
 * the lanes' threads).
 *
 * @param shaper decodes and maps records; null sends every value as it is
 * @param delta chooses which entities of a batch to send
 */
public record Stages(Shaper shaper, Delta delta) {
  public static final Stages NONE = new Stages(null, new Delta(DeltaMode.NONE, null));

  public Stages {
    if (delta == null) {
      delta = new Delta(DeltaMode.NONE, null);
    }
  }

  /** True when a tombstone becomes an entity delete, batched like any other record. */
  boolean shapesTombstones() {
    return shaper != null && shaper.shapesTombstones();
  }
}
