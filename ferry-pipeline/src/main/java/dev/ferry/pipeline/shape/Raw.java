package dev.ferry.pipeline.shape;

/**
 * A value sent exactly as it was read: a plain record batched with decoded ones keeps its bytes.
 */
public final class Raw implements Output {
  private final byte[] value;

  public Raw(byte[] value) {
    this.value = value;
  }

  /** The bytes as read; not copied, do not modify. */
  public byte[] value() {
    return value;
  }
}
