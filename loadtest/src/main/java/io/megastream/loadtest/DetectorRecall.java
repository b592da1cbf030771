package io.megastream.loadtest;

import io.megastream.ingest.detect.BlazePoseDetector;
import io.megastream.ingest.detect.Boxes;
import io.megastream.ingest.detect.HogPeopleDetector;
import io.megastream.ingest.detect.PersonDetector;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.pose.PoseDetector;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Recall and precision of ingest's person detectors on rendered scenes whose people have known
 * boxes, side by side on the same frames: scenes {@code seed, seed + 1, …} at three resolutions (so
 * people come in several sizes), every 25th frame. A detection matches a person by greedy IoU ≥ 0.5
 * against the visible silhouette's box ("box IoU"); because the pose detector's box is the square
 * around its body circle, not a silhouette, a second criterion is printed beside it ("centre"): the
 * person's box centre lies in the detection and the detection's height is within 0.6–1.8× the
 * person's. Subsets: unoccluded (&lt; 10 % hidden) people of at least 120 px, unoccluded smaller
 * ones, occluded 25–70 %.
 *
 * <p>Usage: {@code DetectorRecall [scenes=24] [seed=7001] [tiles=0,4]} (tile counts of the pose
 * detector to compare).
 */
public final class DetectorRecall {

  private DetectorRecall() {}

  private static final String[] SUBSETS = {
    "unoccluded >= 120 px", "unoccluded < 120 px", "occluded 25-70 %"
  };

  /** Matches and counts of one detector. */
  private static final class Tally {
    final int[][] found = new int[2][SUBSETS.length]; // [criterion][subset]
    final int[] people = new int[SUBSETS.length];
    final int[] truePositives = new int[2];
    int detections;
    double ms;
    int frames;
  }

  public static void main(String[] args) throws Exception {
    int scenes = args.length > 0 ? Integer.parseInt(args[0]) : 24;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 7001;
    SkinnedBodyModel body = ProceduralBody.build();
    String tiles = args.length > 2 ? args[2] : "0,4";
    List<PersonDetector> detectors = new java.util.ArrayList<>();
    List<String> names = new java.util.ArrayList<>();
    detectors.add(new HogPeopleDetector(640, 0.3));
    names.add("hog");
    for (String t : tiles.split(",")) {
      int n = Integer.parseInt(t.trim());
      detectors.add(new BlazePoseDetector(new PoseDetector.Options(0.5f, 0.3, 32, n)));
      names.add("blazepose tiles=" + n);
    }
    Tally[] tallies = new Tally[detectors.size()];
    for (int d = 0; d < tallies.length; d++) {
      tallies[d] = new Tally();
    }
    int[][] sizes = {{320, 240}, {640, 480}, {1280, 720}};
    long started = System.nanoTime();
    Mat bgr = null;
    for (int s = 0; s < scenes; s++) {
      int[] size = sizes[s % sizes.length];
      SyntheticScene scene =
          SyntheticScene.builder(body)
              .optSize(size[0], size[1])
              .optFrames(100)
              .optPersons(1 + (s / 3) % 3)
              .optSeed(seed + s)
              .build();
      for (int f = 0; scene.hasNext(); f++) {
        if (f % 25 != 0) {
          scene.skip();
          continue;
        }
        SceneRenderer.Frame frame = scene.next();
        bgr = Images.toBgr(frame.pixels(), frame.width(), frame.height(), bgr);
        for (int d = 0; d < detectors.size(); d++) {
          long t = System.nanoTime();
          List<PersonBox> found = detectors.get(d).detect(bgr);
          tallies[d].ms += (System.nanoTime() - t) / 1e6;
          tallies[d].frames++;
          score(frame.persons(), found, tallies[d]);
        }
      }
      System.out.printf(
          "scene %d/%d (%dx%d, %d people) done, %.0f s%n",
          s + 1, scenes, size[0], size[1], scene.persons(), (System.nanoTime() - started) / 1e9);
    }
    if (bgr != null) {
      bgr.close();
    }
    System.out.printf(
        "%nrendered scenes %d..%d, every 25th frame; recall by subset at box IoU >= 0.5 / centre%n",
        seed, seed + scenes - 1);
    System.out.printf("%-20s", "detector");
    for (String subset : SUBSETS) {
      System.out.printf(" %26s", subset);
    }
    System.out.printf(" %17s %9s%n", "precision IoU/ctr", "ms/frame");
    for (int d = 0; d < tallies.length; d++) {
      Tally t = tallies[d];
      System.out.printf("%-20s", names.get(d));
      for (int k = 0; k < SUBSETS.length; k++) {
        System.out.printf(
            " %26s",
            String.format(
                "%.2f / %.2f (n=%d)",
                ratio(t.found[0][k], t.people[k]), ratio(t.found[1][k], t.people[k]), t.people[k]));
      }
      System.out.printf(
          " %17s %9.1f%n",
          String.format(
              "%.2f / %.2f",
              ratio(t.truePositives[0], t.detections), ratio(t.truePositives[1], t.detections)),
          t.ms / t.frames);
    }
    detectors.forEach(PersonDetector::close);
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** Greedy one-to-one matching per criterion; people hidden for 10–25 % count in no subset. */
  private static void score(
      List<SceneRenderer.PersonTruth> persons, List<PersonBox> found, Tally t) {
    t.detections += found.size();
    for (int criterion = 0; criterion < 2; criterion++) {
      boolean[] used = new boolean[found.size()];
      for (SceneRenderer.PersonTruth p : persons) {
        float[] seen = p.box();
        if (seen[2] < 16 || seen[3] < 16) {
          continue; // not in view
        }
        Box b =
            Box.newBuilder()
                .setX(seen[0])
                .setY(seen[1])
                .setWidth(seen[2])
                .setHeight(seen[3])
                .build();
        int best = -1;
        double bestScore = 0;
        for (int i = 0; i < found.size(); i++) {
          if (used[i]) {
            continue;
          }
          Box d = found.get(i).getBox();
          double score = criterion == 0 ? Boxes.iou(b, d) : centre(b, d);
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        boolean hit = best >= 0 && (criterion == 0 ? bestScore >= 0.5 : bestScore > 0);
        if (hit) {
          used[best] = true;
          t.truePositives[criterion]++;
        }
        int subset = subset(p);
        if (subset >= 0) {
          if (criterion == 0) {
            t.people[subset]++;
          }
          if (hit) {
            t.found[criterion][subset]++;
          }
        }
      }
    }
  }

  private static int subset(SceneRenderer.PersonTruth p) {
    if (p.occlusion() < 0.10) {
      return p.box()[3] >= 120 ? 0 : 1;
    }
    return p.occlusion() >= 0.25 && p.occlusion() <= 0.70 ? 2 : -1;
  }

  /** > 0 when the person's box centre is inside the detection and their heights agree. */
  static double centre(Box a, Box b) {
    double cx = a.getX() + a.getWidth() / 2.0;
    double cy = a.getY() + a.getHeight() / 2.0;
    boolean inside =
        cx >= b.getX()
            && cx <= b.getX() + b.getWidth()
            && cy >= b.getY()
            && cy <= b.getY() + b.getHeight();
    double ratio = b.getHeight() / a.getHeight();
    if (!inside || ratio < 0.6 || ratio > 1.8) {
      return 0;
    }
    double dx = (cx - (b.getX() + b.getWidth() / 2.0)) / a.getHeight();
    double dy = (cy - (b.getY() + b.getHeight() / 2.0)) / a.getHeight();
    return 1 / (1e-6 + Math.hypot(dx, dy));
  }
}
