package io.megastream.mega.pose;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.Procrustes;

/**
 * The body's global rotation in closed form from BlazePose's world landmarks: the rest pose's torso
 * (both shoulders, both hips) rigidly fitted to the same four landmarks as BlazePose reports them
 * (Kabsch/Horn, {@link Procrustes}). No learning: the floor a learned rotation head must beat.
 * BlazePose's world landmarks are in the camera's axes (x right, y down, z away), so the result is
 * the body-to-camera rotation the rotation head predicts. Thread-safe (immutable).
 */
public final class TorsoRotation {

  /** BlazePose landmark indices: left and right shoulder, left and right hip. */
  static final int[] TORSO = {11, 12, 23, 24};

  private final double[][] rest;

  /**
   * The rotation against the body model's rest pose at its mean shape.
   *
   * @throws IllegalArgumentException if the body model defines no landmarks
   */
  public TorsoRotation(SkinnedBodyModel body) {
    this(restLandmarks(body, BodyParams.rest(body.shapeCount())));
  }

  /** The rotation against any rest-pose body's 33 × 3 landmarks (e.g. a fitted shape's). */
  public TorsoRotation(float[] restLandmarks) {
    this(torso(restLandmarks));
  }

  private TorsoRotation(double[][] restTorso) {
    this.rest = restTorso;
  }

  /** The rotation against four given rest torso points (shoulders, then hips, left first). */
  static TorsoRotation ofTorso(double[][] restTorso) {
    return new TorsoRotation(restTorso);
  }

  /**
   * The 33 × 3 landmarks of the body in {@code restPose}.
   *
   * @throws IllegalArgumentException if the body model defines no landmarks
   */
  static float[] restLandmarks(SkinnedBodyModel body, BodyParams restPose) {
    if (body.landmarks() == null) {
      throw new IllegalArgumentException("body model " + body.name() + " defines no landmarks");
    }
    return body.landmarks().positions(body.forward(restPose).vertices());
  }

  /**
   * The body-to-camera rotation from 33 × 3 world landmarks.
   *
   * @return 3 × 3 rotation, row-major
   */
  public double[] fromWorld(float[] world) {
    if (world.length != PoseConditioning.TOKENS * 3) {
      throw new IllegalArgumentException(
          "want " + PoseConditioning.TOKENS * 3 + " world coordinates, got " + world.length);
    }
    return Procrustes.rotation(rest, torso(world));
  }

  /**
   * The same from MEGA's conditioning features ({@link PoseConditioning#FEATURES} per landmark).
   */
  public double[] fromFeatures(float[] features) {
    return fromWorld(PoseConditioning.world(features));
  }

  /** The four torso points of 33 × 3 landmark coordinates. */
  private static double[][] torso(float[] landmarks) {
    double[][] points = new double[TORSO.length][3];
    for (int i = 0; i < TORSO.length; i++) {
      for (int a = 0; a < 3; a++) {
        points[i][a] = landmarks[TORSO[i] * 3 + a];
      }
    }
    return points;
  }
}
