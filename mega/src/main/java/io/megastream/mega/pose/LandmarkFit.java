package io.megastream.mega.pose;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Landmarks;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.Procrustes;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The body model fitted to BlazePose's 33 world landmarks without learning, in the spirit of
 * HybrIK's analytic inverse kinematics and smplfitter: the global rotation by Kabsch on the four
 * torso landmarks ({@link TorsoRotation}, against the fitted shape's rest pose); the spine and the
 * head by Kabsch on the shoulders and the face, spread over their joints; each limb bone by the
 * smallest swing that turns its rest direction (landmark to landmark, on the mesh) onto the
 * observed one, down the kinematic tree; and the shape by ridge least squares on the landmarks,
 * which is exact here because with the rotations fixed the posed landmarks are linear in the shape
 * coefficients. Two rounds, the second with the fitted shape's rest landmarks. A few milliseconds
 * per person.
 *
 * <p>Rotations about a bone's own axis (twist) are not observable from two landmarks and stay those
 * of the parent. Thread-safe.
 */
public final class LandmarkFit {

  /**
   * A fitted body.
   *
   * @param canonical pose (root zero) and shape: the canonical body the tokenizer sees
   * @param rotation 3×3 body-to-camera rotation, row-major (camera: x right, y down, z forward)
   * @param residualMm root-mean-square distance of the fitted landmarks from the observed ones
   *     (mid-hip aligned), millimetres
   */
  public record Fit(BodyParams canonical, double[] rotation, double residualMm) {}

  private static final int NOSE = 0;
  private static final int LEFT_EAR = 7;
  private static final int RIGHT_EAR = 8;
  private static final int LEFT_SHOULDER = 11;
  private static final int RIGHT_SHOULDER = 12;
  private static final int LEFT_HIP = 23;
  private static final int RIGHT_HIP = 24;

  /**
   * A bone swung onto its landmarks: the joint that turns it, from one landmark to (the mean of)
   * others.
   */
  private record Bone(Joint joint, int from, int... to) {}

  private static final List<Bone> BONES =
      List.of(
          new Bone(Joint.LEFT_HIP, LEFT_HIP, 25),
          new Bone(Joint.RIGHT_HIP, RIGHT_HIP, 26),
          new Bone(Joint.LEFT_KNEE, 25, 27),
          new Bone(Joint.RIGHT_KNEE, 26, 28),
          new Bone(Joint.LEFT_ANKLE, 27, 31),
          new Bone(Joint.RIGHT_ANKLE, 28, 32),
          new Bone(Joint.LEFT_SHOULDER, LEFT_SHOULDER, 13),
          new Bone(Joint.RIGHT_SHOULDER, RIGHT_SHOULDER, 14),
          new Bone(Joint.LEFT_ELBOW, 13, 15),
          new Bone(Joint.RIGHT_ELBOW, 14, 16),
          new Bone(Joint.LEFT_WRIST, 15, 17, 19),
          new Bone(Joint.RIGHT_WRIST, 16, 18, 20));

  /** Landmarks the shape is fitted to: face anchors, the limbs and the feet (not the fingers). */
  private static final int[] SHAPE_LANDMARKS = {
    NOSE, LEFT_EAR, RIGHT_EAR, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
  };

  /**
   * Ridge weight on the shape coefficients (prior N(0, 1)) against squared landmark residuals in
   * m²: the variance of BlazePose's world-landmark error, about (3 cm)².
   */
  private static final double SHAPE_RIDGE = 0.03 * 0.03;

  private static final int ROUNDS = 2;

  private final SkinnedBodyModel body;

  public LandmarkFit(SkinnedBodyModel body) {
    if (body.landmarks() == null) {
      throw new IllegalArgumentException("body model " + body.name() + " defines no landmarks");
    }
    this.body = body;
  }

  /**
   * Fits the body to world landmarks.
   *
   * @param world 33 × 3 world landmarks, metres, camera axes (x right, y down, z forward), any
   *     origin
   */
  public Fit fit(float[] world) {
    if (world.length != Landmarks.COUNT * 3) {
      throw new IllegalArgumentException(
          "want " + Landmarks.COUNT * 3 + " world landmark coordinates, got " + world.length);
    }
    double[][] observed = points(world);
    double[] shape = new double[body.shapeCount()];
    double[] rotation = null;
    double[] pose = null;
    for (int round = 0; round < ROUNDS; round++) {
      float[] restLandmarks =
          TorsoRotation.restLandmarks(
              body, new BodyParams(new double[Joint.COUNT * 3], shape, new double[3]));
      double[][] rest = points(restLandmarks);
      rotation = new TorsoRotation(restLandmarks).fromWorld(world);
      pose = pose(rest, inBody(observed, rotation));
      shape = shape(pose, inBody(observed, rotation));
    }
    BodyParams canonical = new BodyParams(pose, shape, new double[3]);
    return new Fit(canonical, rotation, residualMm(canonical, inBody(observed, rotation)));
  }

  /** Local joint rotations (axis-angle, root zero) from rest and observed landmarks, body frame. */
  private double[] pose(double[][] rest, double[][] seen) {
    double[][] global = new double[Joint.COUNT][];
    double[] pose = new double[Joint.COUNT * 3];
    global[0] = Rotations.fromAxisAngle(0, 0, 0);
    // the spine: what turns the rest shoulders about the mid-hip onto the observed ones, in thirds
    double[] spine =
        Procrustes.rotation(
            new double[][] {
              rest[LEFT_SHOULDER], rest[RIGHT_SHOULDER], mid(rest, LEFT_HIP, RIGHT_HIP)
            },
            new double[][] {
              seen[LEFT_SHOULDER], seen[RIGHT_SHOULDER], mid(seen, LEFT_HIP, RIGHT_HIP)
            });
    double[] spineStep = fraction(spine, 1.0 / 3);
    for (int k = 1; k < Joint.COUNT; k++) {
      Joint j = Joint.of(k);
      double[] parent = global[j.parentIndex()];
      double[] local = Rotations.fromAxisAngle(0, 0, 0);
      if (j == Joint.SPINE1 || j == Joint.SPINE2 || j == Joint.SPINE3) {
        local = spineStep;
      } else if (j == Joint.NECK || j == Joint.HEAD) {
        // the head: nose and ears about the mid-shoulder, seen from the upper spine, in halves
        double[][] from =
            new double[][] {
              rest[NOSE], rest[LEFT_EAR], rest[RIGHT_EAR], mid(rest, LEFT_SHOULDER, RIGHT_SHOULDER)
            };
        double[][] to =
            turn(
                Rotations.transpose(global[Joint.SPINE3.ordinal()]),
                new double[][] {
                  seen[NOSE],
                  seen[LEFT_EAR],
                  seen[RIGHT_EAR],
                  mid(seen, LEFT_SHOULDER, RIGHT_SHOULDER)
                });
        local = fraction(Procrustes.rotation(from, to), 0.5);
      }
      global[k] = Rotations.multiply(parent, local);
      for (Bone b : BONES) {
        if (b.joint() == j) {
          double[] restDir = direction(rest, b);
          double[] seenDir = direction(seen, b);
          double[] swing = swing(apply(global[k], restDir), seenDir);
          global[k] = Rotations.multiply(swing, global[k]);
          local = Rotations.multiply(Rotations.transpose(parent), global[k]);
        }
      }
      double[] aa = Rotations.toAxisAngle(local);
      System.arraycopy(aa, 0, pose, k * 3, 3);
    }
    return pose;
  }

  /**
   * Ridge least squares for the shape with the pose fixed. The posed landmarks, mid-hip centred,
   * are affine in the shape coefficients, so their Jacobian is exact from one pose per coefficient.
   */
  private double[] shape(double[] pose, double[][] seen) {
    int s = body.shapeCount();
    double[] zero = new double[s];
    double[][] base = centred(landmarks(new BodyParams(pose, zero, new double[3])));
    int rows = SHAPE_LANDMARKS.length * 3;
    double[][] a = new double[rows][s];
    for (int c = 0; c < s; c++) {
      double[] unit = new double[s];
      unit[c] = 1;
      double[][] moved = centred(landmarks(new BodyParams(pose, unit, new double[3])));
      for (int i = 0; i < SHAPE_LANDMARKS.length; i++) {
        for (int d = 0; d < 3; d++) {
          int l = SHAPE_LANDMARKS[i];
          a[i * 3 + d][c] = moved[l][d] - base[l][d];
        }
      }
    }
    double[][] target = centred(seen);
    double[] y = new double[rows];
    for (int i = 0; i < SHAPE_LANDMARKS.length; i++) {
      int l = SHAPE_LANDMARKS[i];
      for (int d = 0; d < 3; d++) {
        y[i * 3 + d] = target[l][d] - base[l][d];
      }
    }
    RealMatrix am = new Array2DRowRealMatrix(a, false);
    RealMatrix normal = am.transpose().multiply(am);
    for (int c = 0; c < s; c++) {
      normal.addToEntry(c, c, SHAPE_RIDGE);
    }
    double[] beta =
        new CholeskyDecomposition(normal)
            .getSolver()
            .solve(am.transpose().operate(new ArrayRealVector(y, false)))
            .toArray();
    for (int c = 0; c < s; c++) {
      beta[c] = Math.max(-3, Math.min(3, beta[c]));
    }
    return beta;
  }

  private double residualMm(BodyParams canonical, double[][] seen) {
    double[][] fitted = centred(landmarks(canonical));
    double[][] target = centred(seen);
    double sum = 0;
    for (int l : SHAPE_LANDMARKS) {
      for (int d = 0; d < 3; d++) {
        double e = fitted[l][d] - target[l][d];
        sum += e * e;
      }
    }
    return 1000 * Math.sqrt(sum / SHAPE_LANDMARKS.length);
  }

  private double[][] landmarks(BodyParams params) {
    return points(body.landmarks().positions(body.forward(params).vertices()));
  }

  private static double[][] points(float[] xyz) {
    double[][] p = new double[xyz.length / 3][3];
    for (int i = 0; i < p.length; i++) {
      for (int d = 0; d < 3; d++) {
        p[i][d] = xyz[i * 3 + d];
      }
    }
    return p;
  }

  /** Observed points turned from the camera into the body frame of {@code rotation}. */
  private static double[][] inBody(double[][] observed, double[] rotation) {
    return turn(Rotations.transpose(rotation), observed);
  }

  private static double[][] turn(double[] r, double[][] p) {
    double[][] out = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      out[i] = apply(r, p[i]);
    }
    return out;
  }

  private static double[][] centred(double[][] p) {
    double[] hip = mid(p, LEFT_HIP, RIGHT_HIP);
    double[][] out = new double[p.length][3];
    for (int i = 0; i < p.length; i++) {
      for (int d = 0; d < 3; d++) {
        out[i][d] = p[i][d] - hip[d];
      }
    }
    return out;
  }

  private static double[] mid(double[][] p, int a, int b) {
    return new double[] {(p[a][0] + p[b][0]) / 2, (p[a][1] + p[b][1]) / 2, (p[a][2] + p[b][2]) / 2};
  }

  private static double[] direction(double[][] p, Bone b) {
    double[] to = new double[3];
    for (int t : b.to()) {
      for (int d = 0; d < 3; d++) {
        to[d] += p[t][d] / b.to().length;
      }
    }
    return new double[] {to[0] - p[b.from()][0], to[1] - p[b.from()][1], to[2] - p[b.from()][2]};
  }

  private static double[] apply(double[] r, double[] v) {
    return new double[] {
      r[0] * v[0] + r[1] * v[1] + r[2] * v[2],
      r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
      r[6] * v[0] + r[7] * v[1] + r[8] * v[2]
    };
  }

  /** The smallest rotation that turns direction {@code a} onto direction {@code b}. */
  static double[] swing(double[] a, double[] b) {
    double[] c = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    double sin = Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    double cos = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    if (sin < 1e-12) {
      return Rotations.fromAxisAngle(0, 0, 0); // parallel (or degenerate): leave it
    }
    double angle = Math.atan2(sin, cos);
    return Rotations.fromAxisAngle(c[0] / sin * angle, c[1] / sin * angle, c[2] / sin * angle);
  }

  /** The rotation by {@code share} of {@code r}'s angle about the same axis. */
  private static double[] fraction(double[] r, double share) {
    double[] aa = Rotations.toAxisAngle(r);
    return Rotations.fromAxisAngle(aa[0] * share, aa[1] * share, aa[2] * share);
  }
}
