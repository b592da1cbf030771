package io.megastream.mega.render;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.pose.Images;
import java.util.function.Predicate;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Walks rendered people of the synthetic benchmark, for measurements that need real pixels with
 * known truth: scenes {@code seed, seed + 1, …}, every {@code step}-th frame, each person whose box
 * is at least 16 pixels a side.
 */
public final class RenderedPeople {

  /**
   * One rendered person.
   *
   * @param frame the whole frame, 8-bit BGR (valid only during the visit)
   * @param truth what the renderer knows about the person
   * @param params the person's body parameters (before placement in the scene)
   * @param camera the scene's camera
   */
  public record Person(
      Mat frame, SceneRenderer.PersonTruth truth, BodyParams params, Camera camera) {}

  private RenderedPeople() {}

  /**
   * Visits people until {@code visitor} returns false or {@code maxScenes} scenes are done.
   *
   * @param persons people per scene
   * @param framesPerScene frames rendered per scene (only every {@code step}-th is visited)
   */
  public static void forEach(
      SkinnedBodyModel body,
      int persons,
      long seed,
      int framesPerScene,
      int step,
      int maxScenes,
      Predicate<Person> visitor) {
    Mat image = null;
    try {
      for (int s = 0; s < maxScenes; s++) {
        SyntheticScene scene =
            SyntheticScene.builder(body)
                .optPersons(persons)
                .optSeed(seed + s)
                .optFrames(framesPerScene)
                .build();
        for (int f = 0; scene.hasNext(); f++) {
          if (f % step != 0) {
            scene.skip();
            continue;
          }
          SceneRenderer.Frame frame = scene.next();
          image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), image);
          for (int p = 0; p < frame.persons().size(); p++) {
            SceneRenderer.PersonTruth t = frame.persons().get(p);
            if (t.box()[2] < 16 || t.box()[3] < 16) {
              continue;
            }
            if (!visitor.test(new Person(image, t, scene.params(p, f), scene.camera()))) {
              return;
            }
          }
        }
      }
    } finally {
      if (image != null) {
        image.close();
      }
    }
  }
}
