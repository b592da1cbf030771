package io.megastream.train.mega;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.Procrustes;
import io.megastream.mega.inference.Conditioner;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.render.RenderedPeople;
import io.megastream.pose.PersonCrop;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage-2 examples whose conditioning is BlazePose's real output on rendered people, so that MEGA
 * learns BlazePose's actual errors (structured depth and limb errors, swaps) rather than only the
 * i.i.d. noise of {@link io.megastream.mega.pose.LandmarkNoise}. The people come from the synthetic
 * scenes (their own seeds, never the benchmark's), with crops jittered like a detector's: half a
 * square around the box, half the pose detector's hip-centred ROI. Rendering and BlazePose cost
 * about 30 ms a person, so the examples are made once and cached in the run's work directory.
 */
final class RenderedLandmarks {

  private static final Logger log = LoggerFactory.getLogger(RenderedLandmarks.class);

  private static final int MAGIC = 0x4d53524c; // "MSRL"
  private static final int VERSION = 1;
  private static final int LEFT_HIP = 23;
  private static final int RIGHT_HIP = 24;
  private static final int BATCH = 16;

  /**
   * Scene-seed distance between a cache's first people and the people added to it later: far past
   * any other seed the training job or the benchmark uses.
   */
  static final long EXTENSION_SCENES = 10_000_000;

  /**
   * A rendered person as BlazePose saw it, with its truth.
   *
   * @param params body parameters (their canonical form is the tokenizer's target)
   * @param features BlazePose's conditioning features on the crop
   * @param rotation 3×3 body-to-camera rotation, row-major
   * @param joints2d 24×2 true joints in the crop, centred (−0.5..0.5)
   */
  record Person(BodyParams params, float[] features, float[] rotation, float[] joints2d) {}

  private RenderedLandmarks() {}

  /**
   * The people of scenes {@code seed, seed + 1, …}: read from {@code cache} if it holds them,
   * otherwise rendered, run through BlazePose {@code variant} and written there. A cache with fewer
   * people is extended with people of later scenes ({@link #EXTENSION_SCENES} on), so a longer run
   * can ask for more without rendering the first ones again.
   *
   * @param occlusion people more occluded than this are skipped (the share of their pixels hidden)
   */
  static List<Person> load(
      Path cache,
      SkinnedBodyModel body,
      int count,
      long seed,
      double occlusion,
      BlazePose.Variant variant)
      throws IOException {
    List<Person> people = new ArrayList<>();
    if (Files.isRegularFile(cache)) {
      List<Person> cached = read(cache);
      if (cached.size() >= count) {
        log.info("{} rendered people read from {}", count, cache);
        return cached.subList(0, count);
      }
      log.info(
          "{} holds {} rendered people: rendering {} more",
          cache,
          cached.size(),
          count - cached.size());
      people.addAll(cached);
    }
    // more people for a cache come from scenes far past the ones it was made from
    long scenes =
        people.isEmpty() ? seed : seed + EXTENSION_SCENES + 100_000L * (people.size() / 1000);
    people.addAll(render(body, count - people.size(), scenes, occlusion, variant));
    Files.createDirectories(cache.toAbsolutePath().getParent());
    Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
    write(tmp, people);
    Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return people;
  }

  static List<Person> render(
      SkinnedBodyModel body, int count, long seed, double occlusion, BlazePose.Variant variant) {
    List<Person> out = new ArrayList<>(count);
    List<PersonCrop> crops = new ArrayList<>();
    List<Person> pending = new ArrayList<>();
    Random random = new Random(seed);
    long t0 = System.nanoTime();
    try (Conditioner blaze = Conditioner.pose(BlazePose.load(variant))) {
      RenderedPeople.forEach(
          body,
          2,
          seed,
          100,
          20,
          Integer.MAX_VALUE,
          p -> {
            if (p.truth().occlusion() > occlusion) {
              return true;
            }
            PersonCrop crop = crop(p.frame(), p.truth().box(), p.truth().landmarks2d(), random);
            float[] j2 = new float[Joint.COUNT * 2];
            float[] frameJoints = p.truth().joints2d();
            for (int k = 0; k < Joint.COUNT; k++) {
              double x = frameJoints[k * 2];
              double y = frameJoints[k * 2 + 1];
              j2[k * 2] = (float) (crop.cropU(x, y) - 0.5);
              j2[k * 2 + 1] = (float) (crop.cropV(x, y) - 0.5);
            }
            float[] rotation =
                Procrustes.bodyToCamera(
                    body.forward(p.params().canonical()).joints(), p.truth().joints3d());
            crops.add(crop);
            pending.add(new Person(p.params(), null, rotation, j2));
            if (crops.size() == BATCH) {
              flush(blaze, crops, pending, out);
              if (out.size() % 512 < BATCH) {
                double s = (System.nanoTime() - t0) / 1e9;
                log.info(
                    "rendered people through BlazePose: {}/{} ({} people/s)",
                    out.size(),
                    count,
                    String.format("%.1f", out.size() / s));
              }
            }
            return out.size() + pending.size() < count;
          });
      flush(blaze, crops, pending, out);
    }
    log.info(
        "{} rendered people through BlazePose {} in {} s",
        out.size(),
        variant,
        String.format("%.0f", (System.nanoTime() - t0) / 1e9));
    return out;
  }

  /** A detector-like crop, by the convention synthesised landmarks follow. */
  private static PersonCrop crop(Mat frame, float[] box, float[] landmarks2d, Random random) {
    double[] c =
        PoseConditioning.detectorCrop(
            box[0],
            box[1],
            box[2],
            box[3],
            () ->
                new double[] {
                  (landmarks2d[LEFT_HIP * 2] + landmarks2d[RIGHT_HIP * 2]) / 2,
                  (landmarks2d[LEFT_HIP * 2 + 1] + landmarks2d[RIGHT_HIP * 2 + 1]) / 2
                },
            random);
    return PersonCrop.of(frame, c[0], c[1], Math.max(8, c[2]), 0, BlazePose.INPUT);
  }

  private static void flush(
      Conditioner blaze, List<PersonCrop> crops, List<Person> pending, List<Person> out) {
    if (crops.isEmpty()) {
      return;
    }
    List<Mat> images = crops.stream().map(PersonCrop::image).toList();
    float[][] features = blaze.condition(images).features();
    for (int i = 0; i < pending.size(); i++) {
      Person p = pending.get(i);
      out.add(new Person(p.params(), features[i], p.rotation(), p.joints2d()));
    }
    crops.forEach(PersonCrop::close);
    crops.clear();
    pending.clear();
  }

  static void write(Path file, List<Person> people) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(people.size());
      for (Person p : people) {
        writeDoubles(out, p.params().pose());
        writeDoubles(out, p.params().shape());
        writeDoubles(out, p.params().translation());
        writeFloats(out, p.features());
        writeFloats(out, p.rotation());
        writeFloats(out, p.joints2d());
      }
    }
  }

  static List<Person> read(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(file + " is not a rendered-landmarks cache of version " + VERSION);
      }
      int n = in.readInt();
      List<Person> people = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        BodyParams params = new BodyParams(readDoubles(in), readDoubles(in), readDoubles(in));
        people.add(new Person(params, readFloats(in), readFloats(in), readFloats(in)));
      }
      return people;
    }
  }

  private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a.length);
    for (double d : a) {
      out.writeDouble(d);
    }
  }

  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float f : a) {
      out.writeFloat(f);
    }
  }

  private static double[] readDoubles(DataInputStream in) throws IOException {
    double[] a = new double[in.readInt()];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] a = new float[in.readInt()];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readFloat();
    }
    return a;
  }
}
