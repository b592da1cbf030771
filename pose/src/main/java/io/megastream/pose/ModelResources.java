package io.megastream.pose;

import java.io.IOException;
import java.io.InputStream;

/** The BlazePose model files bundled into the pose jar at build time. */
public final class ModelResources {

  private static final String DIR = "/io/megastream/pose/";

  private ModelResources() {}

  /**
   * The bytes of a bundled model file.
   *
   * @throws PoseModelException if it is missing from the class path or cannot be read
   */
  public static byte[] read(String file) {
    String path = DIR + file;
    try (InputStream in = ModelResources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new PoseModelException(
            "BlazePose model "
                + path
                + " is not on the class path: the build fetches it with npm"
                + " (pose/src/build/fetch-blazepose.sh); rebuild with npm installed",
            null);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new PoseModelException("cannot read BlazePose model " + path, e);
    }
  }
}
