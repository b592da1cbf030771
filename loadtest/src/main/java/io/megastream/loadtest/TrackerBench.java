package io.megastream.loadtest;

import io.megastream.ingest.detect.BlazePoseDetector;
import io.megastream.ingest.track.PersonTracker;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.pose.PoseDetector;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Identity switches of ingest's tracker against the greedy IoU tracker it replaced, on the same
 * BlazePose detections of rendered scenes whose people have known identities (a person's index in
 * the scene). Scenes {@code seed, seed + 1, …}, 640×480, 2–3 people, 100 frames at 25 fps; every
 * frame is detected once, and each tracker then sees every {@code stride}-th frame (stride 1 is 25
 * fps; a detector that needs 250 ms per frame gives ingest about 4 fps, stride 6).
 *
 * <p>Scored by CLEAR-MOT (Bernardin &amp; Stiefelhagen 2008): per frame, people at least 16 px in
 * both sides and less than 80 % hidden are matched to tracked boxes, keeping last frame's
 * correspondence while it still matches, then best first; a box matches a person when the person's
 * box centre lies inside it and its height is 0.6–1.8× the person's (loadtest's DetectorRecall
 * "centre" criterion). An identity switch is a person matched to a track id other than the one it
 * was last matched to. MOTA = 1 − (misses + false positives + switches) / people.
 *
 * <p>Usage: {@code TrackerBench [scenes=24] [seed=7101] [strides=1,3,6]}.
 */
public final class TrackerBench {

  private TrackerBench() {}

  /** One scene: per frame, the detections and the people. */
  private record Scene(List<List<PersonBox>> detections, List<List<Box>> people) {}

  private static final class Mot {
    int people;
    int misses;
    int falsePositives;
    int switches;

    double mota() {
      return 1 - (misses + falsePositives + switches) / (double) Math.max(1, people);
    }
  }

  public static void main(String[] args) throws Exception {
    int sceneCount = args.length > 0 ? Integer.parseInt(args[0]) : 24;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 7101;
    String strides = args.length > 2 ? args[2] : "1,3,6";
    SkinnedBodyModel body = ProceduralBody.build();
    List<Scene> scenes = new ArrayList<>();
    long started = System.nanoTime();
    try (BlazePoseDetector detector = new BlazePoseDetector(PoseDetector.Options.DEFAULTS)) {
      Mat bgr = null;
      for (int s = 0; s < sceneCount; s++) {
        SyntheticScene scene =
            SyntheticScene.builder(body)
                .optSize(640, 480)
                .optFrames(100)
                .optPersons(2 + s % 2)
                .optSeed(seed + s)
                .build();
        List<List<PersonBox>> detections = new ArrayList<>();
        List<List<Box>> people = new ArrayList<>();
        while (scene.hasNext()) {
          SceneRenderer.Frame frame = scene.next();
          bgr = Images.toBgr(frame.pixels(), frame.width(), frame.height(), bgr);
          detections.add(detector.detect(bgr));
          List<Box> visible = new ArrayList<>();
          for (SceneRenderer.PersonTruth p : frame.persons()) {
            float[] b = p.box();
            boolean counted = b[2] >= 16 && b[3] >= 16 && p.occlusion() < 0.8;
            visible.add(
                counted
                    ? Box.newBuilder().setX(b[0]).setY(b[1]).setWidth(b[2]).setHeight(b[3]).build()
                    : null);
          }
          people.add(visible);
        }
        scenes.add(new Scene(detections, people));
        System.out.printf(
            "scene %d/%d detected (%.0f s)%n",
            s + 1, sceneCount, (System.nanoTime() - started) / 1e9);
      }
    }
    Map<String, java.util.function.Supplier<UnaryOperator<List<PersonBox>>>> trackers =
        new java.util.LinkedHashMap<>();
    trackers.put(
        "greedy IoU (before)",
        () -> {
          GreedyIouTracker t = new GreedyIouTracker(0.3, 15);
          return t::update;
        });
    trackers.put(
        "best-first, predicted IoU only",
        () -> {
          PersonTracker t = new PersonTracker(PersonTracker.Options.DEFAULTS);
          return boxes ->
              t.update(boxes.stream().map(b -> b.toBuilder().clearRoi().build()).toList());
        });
    trackers.put(
        "best-first, predicted IoU + ROI (now)",
        () -> {
          PersonTracker t = new PersonTracker(PersonTracker.Options.DEFAULTS);
          return t::update;
        });
    System.out.printf(
        "%n%d scenes from seed %d, 640x480, 2-3 people, 100 frames each%n", sceneCount, seed);
    System.out.println("| tracker | stride | people | misses | false pos. | id switches | MOTA |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String stride : strides.split(",")) {
      int step = Integer.parseInt(stride.trim());
      for (var e : trackers.entrySet()) {
        Mot total = new Mot();
        for (Scene scene : scenes) {
          score(scene, step, e.getValue().get(), total);
        }
        System.out.printf(
            "| %s | %d | %d | %d | %d | %d | %.3f |%n",
            e.getKey(),
            step,
            total.people,
            total.misses,
            total.falsePositives,
            total.switches,
            total.mota());
      }
    }
  }

  /** CLEAR-MOT counts of one tracker over one scene, every {@code step}-th frame. */
  static void score(Scene scene, int step, UnaryOperator<List<PersonBox>> tracker, Mot mot) {
    Map<Integer, Long> last = new HashMap<>(); // person -> track id last matched
    Map<Integer, Long> current = new HashMap<>(); // person -> track id matched last frame
    for (int f = 0; f < scene.detections().size(); f += step) {
      List<PersonBox> tracked = tracker.apply(scene.detections().get(f));
      List<Box> people = scene.people().get(f);
      boolean[] used = new boolean[tracked.size()];
      Map<Integer, Long> now = new HashMap<>();
      // keep last frame's correspondences that still match
      for (int p = 0; p < people.size(); p++) {
        Long id = current.get(p);
        if (people.get(p) == null || id == null) {
          continue;
        }
        for (int i = 0; i < tracked.size(); i++) {
          if (!used[i]
              && tracked.get(i).getTrackId() == id
              && DetectorRecall.centre(people.get(p), tracked.get(i).getBox()) > 0) {
            used[i] = true;
            now.put(p, id);
          }
        }
      }
      // then best first among the rest
      List<double[]> pairs = new ArrayList<>();
      for (int p = 0; p < people.size(); p++) {
        if (people.get(p) == null || now.containsKey(p)) {
          continue;
        }
        for (int i = 0; i < tracked.size(); i++) {
          double c = used[i] ? 0 : DetectorRecall.centre(people.get(p), tracked.get(i).getBox());
          if (c > 0) {
            pairs.add(new double[] {c, p, i});
          }
        }
      }
      pairs.sort((a, b) -> Double.compare(b[0], a[0]));
      for (double[] pair : pairs) {
        int p = (int) pair[1];
        int i = (int) pair[2];
        if (!used[i] && !now.containsKey(p)) {
          used[i] = true;
          long id = tracked.get(i).getTrackId();
          now.put(p, id);
          Long before = last.get(p);
          if (before != null && before != id) {
            mot.switches++;
          }
        }
      }
      for (int p = 0; p < people.size(); p++) {
        if (people.get(p) != null) {
          mot.people++;
          if (!now.containsKey(p)) {
            mot.misses++;
          }
        }
      }
      for (boolean u : used) {
        if (!u) {
          mot.falsePositives++;
        }
      }
      last.putAll(now);
      current = now;
    }
  }
}
