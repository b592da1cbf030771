package io.megastream.mega.render;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Landmarks;
import io.megastream.mega.body.PosedBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders people into a frame with known truth: each person is a posed body placed on the floor
 * (position and heading in the world), dressed by {@link Clothing}, lit by one light, over a
 * background, optionally behind occluding boxes. Returns the image with per-person labels: box, 2D
 * and 3D joints, 2D landmarks with visibility, and the share of the person hidden. Not thread-safe
 * (reuses its raster).
 */
public final class SceneRenderer {

  /** One person in a scene. */
  public record Person(BodyParams body, double x, double z, double heading, float[] colors) {}

  /** A box-shaped occluder standing on the floor. */
  public record Occluder(
      double x, double z, double width, double height, double depth, float[] rgb) {}

  /**
   * What is known about one rendered person.
   *
   * @param box x, y, width, height of the visible silhouette in pixels (all zeros if unseen)
   * @param joints2d 24 x 2 pixel positions of the kinematic joints
   * @param joints3d 24 x 3 camera-frame positions, metres
   * @param landmarks2d 33 x 2 pixel positions of BlazePose's landmarks
   * @param landmarkVisible 33 flags: the landmark's surface point is not hidden
   * @param occlusion share of the person's pixels hidden by others or occluders, 0..1
   * @param worldVertices posed vertices in the world, V x 3
   */
  public record PersonTruth(
      float[] box,
      float[] joints2d,
      float[] joints3d,
      float[] landmarks2d,
      boolean[] landmarkVisible,
      double occlusion,
      float[] worldVertices) {}

  /** The rendered frame. */
  public record Frame(int width, int height, int[] pixels, int[] ids, List<PersonTruth> persons) {}

  /** Floor height in the body model's frame: where the rest pose's soles are. */
  public static final double FLOOR = -0.99;

  private final SkinnedBodyModel body;
  private final Raster raster;
  private final int width;
  private final int height;

  public SceneRenderer(SkinnedBodyModel body, int width, int height) {
    this.body = body;
    this.width = width;
    this.height = height;
    this.raster = new Raster(width, height);
  }

  /** Renders people and occluders over a background (width x height pixels, 0xRRGGBB). */
  public Frame render(
      List<Person> people,
      List<Occluder> occluders,
      Camera camera,
      int[] background,
      double[] light) {
    int[] faces = body.faces();
    List<float[]> worlds = new ArrayList<>();
    for (Person p : people) {
      worlds.add(place(p));
    }
    // alone: how many pixels each person covers with nothing in front (for occlusion)
    int[] alone = new int[people.size()];
    for (int i = 0; i < people.size(); i++) {
      raster.clear(0);
      raster.draw(worlds.get(i), faces, people.get(i).colors(), camera, light, 0.35, 1);
      alone[i] = count(raster.ids(), 1);
    }
    raster.background(background);
    for (int i = 0; i < people.size(); i++) {
      raster.draw(worlds.get(i), faces, people.get(i).colors(), camera, light, 0.35, i + 1);
    }
    int oid = people.size() + 1;
    for (Occluder o : occluders) {
      drawBox(o, camera, light, oid++);
    }
    int[] ids = raster.ids();
    float[] depth = raster.depth();
    List<PersonTruth> truths = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      truths.add(truth(i, worlds.get(i), camera, ids, depth, alone[i]));
    }
    return new Frame(width, height, raster.pixels(), ids, truths);
  }

  /** World vertices of a person: posed in the body frame, turned by heading, set on the floor. */
  public float[] place(Person p) {
    PosedBody posed = body.forward(p.body());
    return transform(posed.vertices(), p);
  }

  private float[] transform(float[] v, Person p) {
    double[] r = Rotations.fromAxisAngle(0, p.heading(), 0);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i += 3) {
      double x = v[i];
      double y = v[i + 1] - FLOOR;
      double z = v[i + 2];
      out[i] = (float) (r[0] * x + r[1] * y + r[2] * z + p.x());
      out[i + 1] = (float) (r[3] * x + r[4] * y + r[5] * z);
      out[i + 2] = (float) (r[6] * x + r[7] * y + r[8] * z + p.z());
    }
    return out;
  }

  private PersonTruth truth(
      int index, float[] world, Camera camera, int[] ids, float[] depth, int alonePixels) {
    int id = index + 1;
    int minX = width;
    int minY = height;
    int maxX = -1;
    int maxY = -1;
    int visible = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (ids[y * width + x] == id) {
          visible++;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    float[] box =
        visible == 0 ? new float[4] : new float[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    float[] joints = body.regressJoints(world);
    float[] j2 = new float[Joint.COUNT * 2];
    float[] j3 = new float[Joint.COUNT * 3];
    for (int k = 0; k < Joint.COUNT; k++) {
      double[] p = camera.project(joints[k * 3], joints[k * 3 + 1], joints[k * 3 + 2]);
      double[] c = camera.toCamera(joints[k * 3], joints[k * 3 + 1], joints[k * 3 + 2]);
      j2[k * 2] = (float) p[0];
      j2[k * 2 + 1] = (float) p[1];
      j3[k * 3] = (float) c[0];
      j3[k * 3 + 1] = (float) c[1];
      j3[k * 3 + 2] = (float) c[2];
    }
    float[] l2 = new float[Landmarks.COUNT * 2];
    boolean[] lv = new boolean[Landmarks.COUNT];
    Landmarks lm = body.landmarks();
    if (lm != null) {
      float[] l3 = lm.positions(world);
      for (int k = 0; k < Landmarks.COUNT; k++) {
        double[] p = camera.project(l3[k * 3], l3[k * 3 + 1], l3[k * 3 + 2]);
        l2[k * 2] = (float) p[0];
        l2[k * 2 + 1] = (float) p[1];
        int px = (int) Math.floor(p[0]);
        int py = (int) Math.floor(p[1]);
        lv[k] =
            px >= 0
                && py >= 0
                && px < width
                && py < height
                && p[2] > 0
                // this person is what the pixel shows, and its surface there is near the
                // landmark: joint-centre landmarks sit inside a limb, up to ~15 cm behind it
                && ids[py * width + px] == id
                && Math.abs(p[2] - depth[py * width + px]) < 0.15;
      }
    }
    double occlusion = alonePixels == 0 ? 1 : Math.max(0, 1 - (double) visible / alonePixels);
    return new PersonTruth(box, j2, j3, l2, lv, occlusion, world);
  }

  private void drawBox(Occluder o, Camera camera, double[] light, int id) {
    double x0 = o.x() - o.width() / 2;
    double x1 = o.x() + o.width() / 2;
    double z0 = o.z() - o.depth() / 2;
    double z1 = o.z() + o.depth() / 2;
    double y1 = o.height();
    float[] v = {
      (float) x0, 0, (float) z0, (float) x1, 0, (float) z0, (float) x1, (float) y1, (float) z0,
          (float) x0, (float) y1, (float) z0,
      (float) x0, 0, (float) z1, (float) x1, 0, (float) z1, (float) x1, (float) y1, (float) z1,
          (float) x0, (float) y1, (float) z1
    };
    int[] f = {
      0, 2, 1, 0, 3, 2, // back (z0), outward -z
      4, 5, 6, 4, 6, 7, // front (z1), outward +z
      0, 4, 7, 0, 7, 3, // left (x0)
      1, 2, 6, 1, 6, 5, // right (x1)
      3, 7, 6, 3, 6, 2, // top
      0, 1, 5, 0, 5, 4 // bottom
    };
    float[] c = new float[8 * 3];
    for (int i = 0; i < 8; i++) {
      System.arraycopy(o.rgb(), 0, c, i * 3, 3);
    }
    raster.draw(v, f, c, camera, light, 0.4, id);
  }

  private static int count(int[] ids, int id) {
    int n = 0;
    for (int i : ids) {
      if (i == id) {
        n++;
      }
    }
    return n;
  }
}
