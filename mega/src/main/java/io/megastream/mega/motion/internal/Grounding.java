package io.megastream.mega.motion.internal;

/**
 * Places a performance on the floor: the root translation per frame. Vertically, the body's lowest
 * point touches the floor, except in flight, where the root follows a ballistic arc (g = 9.81) from
 * take-off to landing. Horizontally, the point that bears the weight (a stance foot, the buttocks
 * when sitting) stays where it is from one frame to the next, so walking moves the body forward by
 * its own strides; a 0.2 s moving average then evens out the surges that rigid contact points give
 * (so a stance foot may slide by a few centimetres). In flight the body travels at the
 * performance's launch speed, or keeps the speed it had on the ground. Stateless.
 */
public final class Grounding {

  private static final double G = 9.81;
  private static final double MOMENTUM_SECONDS = 0.3;
  private static final double ON_FLOOR = 0.005;
  private static final double MAX_SLIDE = 6;
  private static final double SMOOTHING_SECONDS = 0.2;

  private Grounding() {}

  /**
   * @return per frame (x, y, z), metres, relative to the root's place in the rest pose with the
   *     first frame's root above the origin
   */
  public static double[][] translations(Performance perf, double fps) {
    Pose[] poses = perf.poses();
    boolean[] air = perf.airborne();
    int n = poses.length;
    double floor = Skeleton.lowest(Pose.zero());
    double[][][] contacts = new double[n][][];
    double[] standing = new double[n]; // root height that puts the lowest point on the floor
    for (int t = 0; t < n; t++) {
      contacts[t] = Skeleton.contacts(poses[t]);
      double low = Double.POSITIVE_INFINITY;
      for (double[] c : contacts[t]) {
        low = Math.min(low, c[1] - c[3]);
      }
      standing[t] = floor - low;
    }
    double[][] out = new double[n][3];
    for (int t = 0; t < n; t++) {
      out[t][1] = standing[t];
    }
    ballisticFlights(air, standing, out, fps);

    int[][] since = touchdowns(contacts);
    double[][] step = new double[n][2]; // horizontal root motion from frame t - 1 to t
    double vx = 0;
    double vz = 0;
    for (int t = 1; t < n; t++) {
      if (air[t] && !air[t - 1]) { // take-off
        double h = poses[t].get(1);
        double[] ground = perf.keepsGroundSpeed() ? recentVelocity(step, t, fps) : new double[2];
        vx = ground[0] + perf.launchSpeed() * StrictMath.sin(h);
        vz = ground[1] + perf.launchSpeed() * StrictMath.cos(h);
      }
      if (air[t] || air[t - 1]) {
        step[t][0] = vx / fps;
        step[t][1] = vz / fps;
      } else {
        step[t] = supportStep(contacts[t - 1], contacts[t], since[t - 1], fps);
      }
    }
    // a short moving average evens out surges and the hand-over from one pivot to the next
    int half = (int) Math.round(SMOOTHING_SECONDS / 2 * fps);
    for (int t = 1; t < n; t++) {
      double sx = 0;
      double sz = 0;
      int count = 0;
      for (int k = Math.max(1, t - half); k <= Math.min(n - 1, t + half); k++) {
        sx += step[k][0];
        sz += step[k][1];
        count++;
      }
      out[t][0] = out[t - 1][0] + sx / count;
      out[t][2] = out[t - 1][2] + sz / count;
    }
    return out;
  }

  /** Replaces the root height in each flight by a parabola between take-off and landing. */
  private static void ballisticFlights(
      boolean[] air, double[] standing, double[][] out, double fps) {
    int n = air.length;
    int t = 0;
    while (t < n) {
      if (!air[t]) {
        t++;
        continue;
      }
      int start = Math.max(0, t - 1); // last frame on the floor
      int end = t;
      while (end < n && air[end]) {
        end++;
      }
      int land = Math.min(end, n - 1); // first frame on the floor again
      double duration = (land - start) / fps;
      for (int f = t; f < end; f++) {
        double s = (f - start) / fps;
        double line = standing[start] + (standing[land] - standing[start]) * s / duration;
        double arc = line + 0.5 * G * s * Math.max(0, duration - s);
        out[f][1] = Math.max(arc, standing[f]); // never through the floor
      }
      t = end;
    }
  }

  private static double[] recentVelocity(double[][] step, int t, double fps) {
    int from = Math.max(1, t - (int) Math.round(MOMENTUM_SECONDS * fps));
    double[] v = new double[2];
    for (int k = from; k < t; k++) {
      v[0] += step[k][0] * fps / (t - from);
      v[1] += step[k][1] * fps / (t - from);
    }
    return v;
  }

  /**
   * Per frame and contact point, the frame since which the point has been on the floor (within 5 mm
   * of the lowest point), or -1 while it is off it.
   */
  private static int[][] touchdowns(double[][][] contacts) {
    int n = contacts.length;
    int m = contacts[0].length;
    int[][] since = new int[n][m];
    for (int t = 0; t < n; t++) {
      double low = Double.POSITIVE_INFINITY;
      for (double[] c : contacts[t]) {
        low = Math.min(low, c[1] - c[3]);
      }
      for (int k = 0; k < m; k++) {
        boolean down = contacts[t][k][1] - contacts[t][k][3] - low <= ON_FLOOR;
        since[t][k] = !down ? -1 : t > 0 && since[t - 1][k] >= 0 ? since[t - 1][k] : t;
      }
    }
    return since;
  }

  /**
   * The root's horizontal step that keeps the weight-bearing points in place: the points on the
   * floor that touched down last (a heel that strikes takes over from the other foot's toes; two
   * feet that landed together share the weight). A point sliding faster than 6 m/s relative to the
   * body, a foot brushing the floor as it swings, bears nothing. With no such point, the lowest.
   */
  private static double[] supportStep(
      double[][] before, double[][] after, int[] since, double fps) {
    int newest = -1;
    boolean[] bearing = new boolean[before.length];
    for (int k = 0; k < before.length; k++) {
      double slide = Math.hypot(after[k][0] - before[k][0], after[k][2] - before[k][2]) * fps;
      bearing[k] = since[k] >= 0 && slide <= MAX_SLIDE;
      if (bearing[k]) {
        newest = Math.max(newest, since[k]);
      }
    }
    if (newest < 0) {
      int lowest = 0;
      for (int k = 1; k < before.length; k++) {
        if (before[k][1] - before[k][3] < before[lowest][1] - before[lowest][3]) {
          lowest = k;
        }
      }
      return new double[] {
        before[lowest][0] - after[lowest][0], before[lowest][2] - after[lowest][2]
      };
    }
    double dx = 0;
    double dz = 0;
    int count = 0;
    for (int k = 0; k < before.length; k++) {
      if (bearing[k] && since[k] == newest) {
        dx += before[k][0] - after[k][0];
        dz += before[k][2] - after[k][2];
        count++;
      }
    }
    return new double[] {dx / count, dz / count};
  }
}
