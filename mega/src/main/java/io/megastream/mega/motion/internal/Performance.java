package io.megastream.mega.motion.internal;

/**
 * What an action script produces: a pose per frame, which frames are in the air (both feet off the
 * floor), and how fast the body travels horizontally in those flights.
 *
 * @param poses one per frame
 * @param airborne per frame, whether the body is in flight
 * @param launchSpeed horizontal speed in flight, m/s along the heading at take-off (a broad jump; 0
 *     for a jump on the spot)
 * @param keepsGroundSpeed whether flights instead keep the speed the body had on the ground (the
 *     flight phases of running)
 */
public record Performance(
    Pose[] poses, boolean[] airborne, double launchSpeed, boolean keepsGroundSpeed) {

  public Performance {
    if (poses.length != airborne.length) {
      throw new IllegalArgumentException("one airborne flag per pose");
    }
  }

  /** A performance that never leaves the floor. */
  public static Performance grounded(Pose[] poses) {
    return new Performance(poses, new boolean[poses.length], 0, false);
  }

  /** The same flights and speeds with other poses. */
  public Performance withPoses(Pose[] other) {
    return new Performance(other, airborne, launchSpeed, keepsGroundSpeed);
  }
}
