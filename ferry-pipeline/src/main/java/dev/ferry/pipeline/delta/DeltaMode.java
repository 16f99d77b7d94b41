package dev.ferry.pipeline.delta;

import java.util.Locale;

/** How much of a batch is sent. */
public enum DeltaMode {
  /** Every entity as mapped. */
  NONE,
  /**
   * Within a batch, entities with the same type and id collapse to their last operation; a delete
   * after an upsert wins.
   */
  COLLAPSE,
  /** Collapse, and skip an upsert whose data is unchanged since its last successful delivery. */
  SKIP_UNCHANGED;

  public static DeltaMode parse(String name) {
    return valueOf(name.strip().toUpperCase(Locale.ROOT));
  }
}
