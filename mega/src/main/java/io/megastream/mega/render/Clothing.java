package io.megastream.mega.render;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import java.util.Random;

/**
 * Per-vertex colours of a dressed person: skin (head, hands, optionally forearms and shins), shirt,
 * trousers or shorts, shoes, hair — assigned by each vertex's dominant skinning joint, so it works
 * for any SMPL-form body model. Colours are linear RGB. Thread-safe (stateless).
 */
public final class Clothing {

  private static final double[][] SKIN = {
    {0.80, 0.56, 0.44},
    {0.66, 0.44, 0.32},
    {0.47, 0.30, 0.20},
    {0.30, 0.18, 0.11},
    {0.92, 0.70, 0.58}
  };

  private Clothing() {}

  /** Colours (V x 3, linear RGB) for one outfit drawn from a seed. */
  public static float[] dress(SkinnedBodyModel body, long seed) {
    Random r = new Random(seed);
    double[] skin = SKIN[r.nextInt(SKIN.length)];
    double[] shirt = saturated(r);
    double[] trousers = r.nextDouble() < 0.5 ? dark(r) : saturated(r);
    double[] shoes =
        r.nextDouble() < 0.5 ? new double[] {0.02, 0.02, 0.02} : new double[] {0.8, 0.8, 0.8};
    double[] hair =
        new double[] {
          0.03 + 0.2 * r.nextDouble(), 0.02 + 0.1 * r.nextDouble(), 0.01 + 0.05 * r.nextDouble()
        };
    boolean shortSleeves = r.nextBoolean();
    boolean shorts = r.nextDouble() < 0.4;
    int n = body.vertexCount();
    float[] template = body.template();
    float[] joints = body.regressJoints(template);
    float[] colors = new float[n * 3];
    for (int v = 0; v < n; v++) {
      Joint j = dominant(body.skinWeights(v));
      double[] c =
          switch (j) {
            case HEAD ->
                template[v * 3 + 1] > joints[Joint.HEAD.ordinal() * 3 + 1] + 0.09
                        || template[v * 3 + 2] < joints[Joint.HEAD.ordinal() * 3 + 2] - 0.03
                    ? hair
                    : skin;
            case NECK, LEFT_HAND, RIGHT_HAND, LEFT_WRIST, RIGHT_WRIST -> skin;
            case LEFT_ELBOW, RIGHT_ELBOW -> shortSleeves ? skin : shirt;
            case LEFT_KNEE, RIGHT_KNEE -> shorts ? skin : trousers;
            case LEFT_ANKLE, RIGHT_ANKLE, LEFT_FOOT, RIGHT_FOOT -> shoes;
            case PELVIS, LEFT_HIP, RIGHT_HIP -> trousers;
            default -> shirt;
          };
      double shade = 0.92 + 0.08 * Math.sin(v * 12.9898); // slight fabric variation
      colors[v * 3] = (float) (c[0] * shade);
      colors[v * 3 + 1] = (float) (c[1] * shade);
      colors[v * 3 + 2] = (float) (c[2] * shade);
    }
    return colors;
  }

  private static Joint dominant(float[] w) {
    int best = 0;
    for (int j = 1; j < w.length; j++) {
      if (w[j] > w[best]) {
        best = j;
      }
    }
    return Joint.of(best);
  }

  private static double[] saturated(Random r) {
    double h = r.nextDouble();
    double s = 0.4 + 0.5 * r.nextDouble();
    double v = 0.25 + 0.6 * r.nextDouble();
    return hsv(h, s, v);
  }

  private static double[] dark(Random r) {
    double v = 0.03 + 0.15 * r.nextDouble();
    return new double[] {v, v, v * (1 + 0.6 * r.nextDouble())};
  }

  private static double[] hsv(double h, double s, double v) {
    int i = (int) Math.floor(h * 6);
    double f = h * 6 - i;
    double p = v * (1 - s);
    double q = v * (1 - f * s);
    double t = v * (1 - (1 - f) * s);
    return switch (i % 6) {
      case 0 -> new double[] {v, t, p};
      case 1 -> new double[] {q, v, p};
      case 2 -> new double[] {p, v, t};
      case 3 -> new double[] {p, q, v};
      case 4 -> new double[] {t, p, v};
      default -> new double[] {v, p, q};
    };
  }
}
