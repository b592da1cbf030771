package io.megastream.mega.pose;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Landmarks;
import io.megastream.mega.body.PosedBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.Camera;
import io.megastream.pose.PersonCrop;
import io.megastream.pose.PoseRoi;
import java.util.Random;
import java.util.function.Supplier;

/**
 * MEGA's default conditioning: one feature vector per BlazePose landmark, {@code (x, y, z,
 * visibility, presence, world x, world y, world z)} with x, y centred on the crop (−0.5..0.5).
 * Built from BlazePose's real output on video ({@link #features(PoseLandmarks)}), or synthesised
 * from a body pose, a random camera and {@link LandmarkNoise} for training ({@link #synthesize}),
 * together with the targets of the rotation/camera head.
 */
public final class PoseConditioning {

  /** Conditioning embeddings: one per landmark. */
  public static final int TOKENS = Landmarks.COUNT;

  /** Features per landmark. */
  public static final int FEATURES = 8;

  private static final int LEFT_HIP = 23;
  private static final int RIGHT_HIP = 24;

  /**
   * A synthetic training sample.
   *
   * @param features TOKENS × FEATURES conditioning
   * @param rotation 3×3 body-to-camera rotation (row-major; camera: x right, y down, z forward)
   * @param joints3d 24×3 canonical joints relative to the pelvis, metres
   * @param joints2d 24×2 projected joints in the crop, centred (−0.5..0.5)
   * @param canonical the canonical pose (no global rotation, no translation) for the tokenizer
   */
  public record Sample(
      float[] features,
      float[] rotation,
      float[] joints3d,
      float[] joints2d,
      BodyParams canonical) {}

  private final SkinnedBodyModel body;
  private final LandmarkNoise noise;

  public PoseConditioning(SkinnedBodyModel body, LandmarkNoise noise) {
    if (body.landmarks() == null) {
      throw new IllegalArgumentException("body model " + body.name() + " defines no landmarks");
    }
    this.body = body;
    this.noise = noise;
  }

  /** Offset of the world x, y, z in a landmark's features. */
  static final int WORLD = 5;

  /** The 33 × 3 world landmarks held in conditioning features (the inverse of their layout). */
  public static float[] world(float[] features) {
    if (features.length != TOKENS * FEATURES) {
      throw new IllegalArgumentException(
          "want " + TOKENS * FEATURES + " features, got " + features.length);
    }
    float[] world = new float[TOKENS * 3];
    for (int k = 0; k < TOKENS; k++) {
      System.arraycopy(features, k * FEATURES + WORLD, world, k * 3, 3);
    }
    return world;
  }

  /** Features of BlazePose's real output. */
  public static float[] features(PoseLandmarks lm) {
    float[] f = new float[TOKENS * FEATURES];
    for (int k = 0; k < TOKENS; k++) {
      int i = k * PoseLandmarks.IMAGE_STRIDE;
      put(
          f,
          k,
          lm.image()[i] - 0.5f,
          lm.image()[i + 1] - 0.5f,
          lm.image()[i + 2],
          lm.image()[i + 3],
          lm.image()[i + 4],
          lm.world()[k * 3],
          lm.world()[k * 3 + 1],
          lm.world()[k * 3 + 2]);
    }
    return f;
  }

  /**
   * A body seen by a random camera: landmarks as BlazePose would report them on a detector's crop
   * (random box jitter, measured noise, visibility, dropout), and the head's targets. Half the
   * crops follow a box detector's convention (a square around the box), half the pose detector's
   * ROI (centred on the hips, sized by the body), so one model serves both.
   */
  public Sample synthesize(BodyParams params, Random random) {
    BodyParams canonical = params.canonical();
    BodyParams unmoved = new BodyParams(params.pose(), params.shape(), new double[] {0, 0, 0});
    PosedBody posed = body.forward(unmoved);
    float[] v = posed.vertices();
    float[] j = posed.joints();
    double[] pelvis = {j[0], j[1], j[2]};

    // camera: random azimuth, elevation -10..30 degrees, 2.5-8 m away, focal 400-1500 px
    double azimuth = random.nextDouble() * 2 * Math.PI;
    double elevation = Math.toRadians(-10 + 40 * random.nextDouble());
    double distance = 2.5 + 5.5 * random.nextDouble();
    double[] eye = {
      pelvis[0] + distance * Math.cos(elevation) * Math.sin(azimuth),
      pelvis[1] + distance * Math.sin(elevation),
      pelvis[2] + distance * Math.cos(elevation) * Math.cos(azimuth)
    };
    double[] target = {
      pelvis[0] + 0.3 * random.nextGaussian(), pelvis[1] + 0.2 * random.nextGaussian(), pelvis[2]
    };
    Camera camera = Camera.lookAt(eye, target, 400 + 1100 * random.nextDouble(), 1920, 1080);

    // the detector's box: projected mesh bounds, jittered like a real detector's
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < v.length; i += 3) {
      double[] p = camera.project(v[i], v[i + 1], v[i + 2]);
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    double[] crop =
        detectorCrop(
            minX,
            minY,
            maxX - minX,
            maxY - minY,
            () -> {
              float[] lm = body.landmarks().positions(v);
              return camera.project(
                  (lm[LEFT_HIP * 3] + lm[RIGHT_HIP * 3]) / 2,
                  (lm[LEFT_HIP * 3 + 1] + lm[RIGHT_HIP * 3 + 1]) / 2,
                  (lm[LEFT_HIP * 3 + 2] + lm[RIGHT_HIP * 3 + 2]) / 2);
            },
            random);
    double cx = crop[0];
    double cy = crop[1];
    double side = crop[2];

    float[] f = observe(v, camera, cx, cy, side, noise, random);

    // targets: body-to-camera rotation, canonical joints about the pelvis, 2D joints in the crop
    double[] root = Rotations.fromAxisAngle(params.pose()[0], params.pose()[1], params.pose()[2]);
    double[] rotation = Rotations.multiply(camera.rotation(), root);
    float[] j3 = aboutPelvis(body.forward(canonical).joints());
    float[] j2 = new float[Joint.COUNT * 2];
    for (int k = 0; k < Joint.COUNT; k++) {
      double[] p = camera.project(j[k * 3], j[k * 3 + 1], j[k * 3 + 2]);
      j2[k * 2] = (float) ((p[0] - cx) / side);
      j2[k * 2 + 1] = (float) ((p[1] - cy) / side);
    }
    float[] rot = new float[9];
    for (int i = 0; i < 9; i++) {
      rot[i] = (float) rotation[i];
    }
    return new Sample(f, rot, j3, j2, canonical);
  }

  /**
   * A detector's crop of a person whose projected bounds are {@code x, y, w, h} (pixels), jittered
   * as a real detector's: half the time a box detector's square (HOG, full-frame; 1.25 × the box's
   * longer side around it), half the time the pose detector's ROI, centred on the mid-hip {@code
   * hip} with side 2 × 1.25 × the body circle's radius r, which on rendered people is the
   * silhouette's height / 2.2 (10th-90th percentiles 1.9-2.7: see {@link PoseRoi#BODY_HEIGHT}).
   * Upright (angle 0): the synthetic cameras have no roll. Training on synthesised and on rendered
   * landmarks share it, so both follow the crops the worker cuts.
   *
   * @param hip the mid-hip in pixels, asked for only when the ROI convention is drawn
   * @return crop centre x, y and side, pixels
   */
  public static double[] detectorCrop(
      double x, double y, double w, double h, Supplier<double[]> hip, Random random) {
    if (random.nextBoolean()) {
      double side = Math.max(w, h) * PersonCrop.PADDING * (1 + 0.1 * random.nextGaussian());
      double cx = x + w / 2 + 0.05 * side * random.nextGaussian();
      double cy = y + h / 2 + 0.05 * side * random.nextGaussian();
      return new double[] {cx, cy, side};
    }
    double[] c = hip.get();
    double radius = h / PoseRoi.BODY_HEIGHT * Math.exp(0.12 * random.nextGaussian());
    double cx = c[0] + 0.05 * radius * random.nextGaussian();
    double cy = c[1] + 0.05 * radius * random.nextGaussian();
    return new double[] {cx, cy, 2 * PersonCrop.PADDING * radius};
  }

  /** 24 × 3 joints relative to the pelvis (joint 0), the head's 3D joint target. */
  public static float[] aboutPelvis(float[] joints) {
    float[] out = new float[joints.length];
    for (int k = 0; k < joints.length; k++) {
      out[k] = joints[k] - joints[k % 3];
    }
    return out;
  }

  /**
   * The features BlazePose would report for a posed mesh seen by a camera through a square crop.
   *
   * @param vertices posed mesh vertices in the camera's world frame
   * @param cx crop centre, pixels
   * @param cy crop centre, pixels
   * @param side crop side, pixels
   * @param noise what to add; {@link LandmarkNoise#NONE} gives the exact landmarks
   */
  public float[] observe(
      float[] vertices,
      Camera camera,
      double cx,
      double cy,
      double side,
      LandmarkNoise noise,
      Random random) {
    float[] lm3 = body.landmarks().positions(vertices);
    double[] hip = new double[3];
    for (int a = 0; a < 3; a++) {
      hip[a] = (lm3[LEFT_HIP * 3 + a] + lm3[RIGHT_HIP * 3 + a]) / 2;
    }
    double[] hipCam = camera.toCamera(hip[0], hip[1], hip[2]);
    float[] f = new float[TOKENS * FEATURES];
    for (int k = 0; k < TOKENS; k++) {
      double[] c = camera.toCamera(lm3[k * 3], lm3[k * 3 + 1], lm3[k * 3 + 2]);
      double u = (camera.fx() * c[0] / c[2] + camera.cx() - cx) / side;
      double t = (camera.fy() * c[1] / c[2] + camera.cy() - cy) / side;
      double z = (c[2] - hipCam[2]) * camera.fx() / hipCam[2] / side;
      boolean inside = Math.abs(u) <= 0.5 && Math.abs(t) <= 0.5;
      // well behind the hips means turned away from the camera: a cheap self-occlusion model
      boolean visible = inside && (c[2] - hipCam[2]) < 0.12;
      if (noise.dropout() > 0 && random.nextDouble() < noise.dropout()) {
        continue; // all zero: a landmark BlazePose lost
      }
      double vis = visible ? noise.visibleWhenVisible() : noise.visibleWhenHidden();
      put(
          f,
          k,
          (float) (u + noise.imageSigma() * random.nextGaussian()),
          (float) (t + noise.imageSigma() * random.nextGaussian()),
          (float) (z + noise.depthSigma() * random.nextGaussian()),
          (float) clamp(vis + (noise == LandmarkNoise.NONE ? 0 : 0.1 * random.nextGaussian())),
          inside ? 1f : 0.3f,
          (float) (c[0] - hipCam[0] + noise.worldSigma() * random.nextGaussian()),
          (float) (c[1] - hipCam[1] + noise.worldSigma() * random.nextGaussian()),
          (float) (c[2] - hipCam[2] + noise.worldSigma() * random.nextGaussian()));
    }
    return f;
  }

  private static void put(float[] f, int k, float... values) {
    System.arraycopy(values, 0, f, k * FEATURES, FEATURES);
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
