package io.megastream.cli;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.source.FrameSource;
import io.megastream.ingest.source.GrabbedImage;
import io.megastream.ingest.source.SourceUnavailableException;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The {@code synthetic:} camera: a rendered {@link SyntheticScene} (1–3 people in synthetic motion)
 * served to ingest frame by frame, with each frame's ground truth as a {@code Label} for the {@code
 * labels} topic and the true person boxes as the frame's persons (no detector runs).
 *
 * <p>URI: {@code synthetic:persons=2,seed=7,frames=250,size=640x480,fps=25}; every option is
 * optional. With {@code --loop} the same scene starts over.
 */
public final class SyntheticSceneSource implements FrameSource {

  /** Options a {@code synthetic:} URI may set. */
  static final List<String> OPTIONS = List.of("persons", "seed", "frames", "size", "fps");

  private static SkinnedBodyModel body;

  private final CameraSpec spec;
  private final Map<String, String> options;
  private SyntheticScene scene;
  private Mat mat;
  private int index;

  private SyntheticSceneSource(CameraSpec spec, Map<String, String> options) {
    this.spec = spec;
    this.options = options;
  }

  /** The plug-in ingest calls for {@code synthetic:} cameras. */
  public static FrameSource create(CameraSpec camera) throws SourceUnavailableException {
    SyntheticSceneSource s = new SyntheticSceneSource(camera, parse(camera));
    s.build(); // invalid options fail here, before the grab thread's open()
    return s;
  }

  /** Shared by every synthetic camera: building the body's template mesh takes a moment. */
  static synchronized SkinnedBodyModel body() {
    if (body == null) {
      body = ProceduralBody.build();
    }
    return body;
  }

  private static Map<String, String> parse(CameraSpec camera) throws SourceUnavailableException {
    String rest = camera.uri().substring(camera.uri().indexOf(':') + 1).trim();
    Map<String, String> options = new LinkedHashMap<>();
    if (rest.isEmpty()) {
      return options;
    }
    for (String part : rest.split(",")) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? part.trim() : part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (eq < 0 || !OPTIONS.contains(key)) {
        throw new SourceUnavailableException(
            "camera '"
                + camera.id()
                + "': '"
                + part
                + "' is not an option of synthetic: cameras; use KEY=VALUE with KEY one of "
                + OPTIONS
                + ", e.g. synthetic:persons=2,seed=7,frames=250,size=640x480,fps=25",
            null);
      }
      options.put(key, part.substring(eq + 1).trim());
    }
    return options;
  }

  private SyntheticScene build() throws SourceUnavailableException {
    try {
      SyntheticScene.Builder b =
          SyntheticScene.builder(body())
              .optPersons(Integer.parseInt(options.getOrDefault("persons", "2")))
              .optSeed(Long.parseLong(options.getOrDefault("seed", "1")))
              .optFrames(Integer.parseInt(options.getOrDefault("frames", "250")))
              .optFps(Integer.parseInt(options.getOrDefault("fps", "25")));
      String size = options.getOrDefault("size", "640x480");
      String[] wh = size.toLowerCase(Locale.ROOT).split("x");
      if (wh.length != 2) {
        throw new IllegalArgumentException("size must be WIDTHxHEIGHT, was " + size);
      }
      return b.optSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])).build();
    } catch (IllegalArgumentException e) {
      throw new SourceUnavailableException(
          "camera '" + spec.id() + "': invalid " + spec.uri() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void open() throws SourceUnavailableException {
    scene = build();
    index = 0;
  }

  @Override
  public GrabbedImage grab() {
    if (scene == null) {
      throw new IllegalStateException("source " + spec.id() + " is not open");
    }
    if (!scene.hasNext()) {
      return null;
    }
    SceneRenderer.Frame f = scene.next();
    mat = Images.toBgr(f.pixels(), f.width(), f.height(), mat);
    List<PersonBox> persons = new ArrayList<>();
    for (int p = 0; p < f.persons().size(); p++) {
      float[] b = f.persons().get(p).box();
      if (b[2] >= 2 && b[3] >= 2) {
        persons.add(
            PersonBox.newBuilder()
                .setBox(Box.newBuilder().setX(b[0]).setY(b[1]).setWidth(b[2]).setHeight(b[3]))
                .setScore(1f)
                .setTrackId(p + 1)
                .build());
      }
    }
    long streamUs = Math.round(index * 1_000_000.0 / scene.fps());
    GrabbedImage image =
        new GrabbedImage(mat, streamUs, persons, SceneClipWriter.label(scene, f, index, spec.id()));
    index++;
    return image;
  }

  @Override
  public double frameRate() {
    return scene == null ? 25 : scene.fps();
  }

  @Override
  public int declaredFrames() {
    return scene == null ? -1 : scene.frames();
  }

  @Override
  public CameraSpec spec() {
    return spec;
  }

  @Override
  public void close() {
    if (mat != null) {
      mat.close();
      mat = null;
    }
    scene = null;
  }
}
