package io.megastream.mega.motion.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Key poses in time, played back by shape-preserving cubic interpolation (see {@link Pchip}) of
 * every Euler angle. Scripts read like a shot list: {@code new Timeline(stand).hold(0.3).to(crouch,
 * 0.6).flightTo(tuck, 0.2)...}. Mutable while built; not thread-safe.
 */
public final class Timeline {

  private static final double MAX_SPEEDUP = 1.3;

  private final List<Double> times = new ArrayList<>();
  private final List<Pose> poses = new ArrayList<>();
  private final List<double[]> flights = new ArrayList<>();

  /** Starts at a pose at time 0. */
  public Timeline(Pose start) {
    times.add(0.0);
    poses.add(start.copy());
  }

  /** Moves to a pose, arriving after {@code seconds}. */
  public Timeline to(Pose pose, double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("a move takes time, got " + seconds);
    }
    times.add(length() + seconds);
    poses.add(pose.copy());
    return this;
  }

  /** Moves to a pose with both feet off the floor all the way (a flight phase). */
  public Timeline flightTo(Pose pose, double seconds) {
    double start = length();
    to(pose, seconds);
    double[] previous = flights.isEmpty() ? null : flights.get(flights.size() - 1);
    if (previous != null && previous[1] == start) {
      previous[1] = length(); // one flight through several keys
    } else {
      flights.add(new double[] {start, length()});
    }
    return this;
  }

  /** Stays at the last pose. */
  public Timeline hold(double seconds) {
    return to(last(), seconds);
  }

  /** The last key pose, a copy. */
  public Pose last() {
    return poses.get(poses.size() - 1).copy();
  }

  /** Seconds from the first key to the last. */
  public double length() {
    return times.get(times.size() - 1);
  }

  /**
   * Plays the timeline into {@code frames} frames. A shorter timeline is padded by holding its
   * first and last pose (the split drawn at random); a longer one is played up to 30% faster to
   * fit, and if it still does not fit, the clip is a random window of it, as a capture session is
   * cut into clips.
   *
   * @param launchSpeed horizontal speed in the flights, m/s along the heading
   */
  public Performance perform(int frames, double fps, SplittableRandom rng, double launchSpeed) {
    double clip = (frames - 1) / fps;
    double scale = length() > clip ? Math.max(clip / length(), 1 / MAX_SPEEDUP) : 1;
    double slack = clip - length() * scale; // > 0: time to pad; < 0: time to cut
    double lead = Math.abs(slack) > 1e-9 ? rng.nextDouble() * slack : 0;
    int n = times.size();
    double[] x = new double[n];
    for (int k = 0; k < n; k++) {
      x[k] = lead + times.get(k) * scale;
    }
    Pose[] out = new Pose[frames];
    double[][] values = new double[frames][];
    for (int i = 0; i < Pose.SIZE; i++) {
      double[] y = new double[n];
      for (int k = 0; k < n; k++) {
        y[k] = poses.get(k).get(i);
      }
      Pchip curve = new Pchip(x, y, true);
      for (int f = 0; f < frames; f++) {
        if (values[f] == null) {
          values[f] = new double[Pose.SIZE];
        }
        values[f][i] = curve.at(f / fps);
      }
    }
    boolean[] airborne = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      out[f] = Pose.of(values[f]);
      double t = f / fps;
      for (double[] flight : flights) {
        airborne[f] |= t > lead + flight[0] * scale && t < lead + flight[1] * scale;
      }
    }
    return new Performance(out, airborne, launchSpeed, false);
  }
}
