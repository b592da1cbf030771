package io.megastream.mega.pose;

import io.megastream.mega.body.Landmarks;

/**
 * What BlazePose reports for one person crop: 33 landmarks in the crop and 33 metric world
 * landmarks, in MediaPipe's order ({@link Landmarks#NAMES}).
 *
 * @param image 33 × (x, y, z, visibility, presence): x and y in [0, 1] of the crop's width and
 *     height, z (depth relative to the hips) in the same unit as x; visibility and presence are
 *     probabilities
 * @param world 33 × (x, y, z) in metres, origin between the hips, camera-aligned axes (x right, y
 *     down, z away from the camera)
 * @param presence probability that a person is in the crop
 */
public record PoseLandmarks(float[] image, float[] world, float presence) {

  /** Values per image landmark. */
  public static final int IMAGE_STRIDE = 5;

  public PoseLandmarks {
    if (image.length != Landmarks.COUNT * IMAGE_STRIDE || world.length != Landmarks.COUNT * 3) {
      throw new IllegalArgumentException(
          "expected 33x5 image and 33x3 world values, got " + image.length + "/" + world.length);
    }
  }

  public float x(int landmark) {
    return image[landmark * IMAGE_STRIDE];
  }

  public float y(int landmark) {
    return image[landmark * IMAGE_STRIDE + 1];
  }

  public float visibility(int landmark) {
    return image[landmark * IMAGE_STRIDE + 3];
  }
}
