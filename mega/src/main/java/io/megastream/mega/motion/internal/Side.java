package io.megastream.mega.motion.internal;

/** A side of the body, the body's own left or right. */
public enum Side {
  LEFT,
  RIGHT;

  /** The other side. */
  public Side other() {
    return this == LEFT ? RIGHT : LEFT;
  }
}
