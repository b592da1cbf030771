package io.megastream.mega.render;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.Action;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic camera: 1-3 people performing motion clips on a floor, seen by a fixed camera over a
 * procedural background, sometimes behind an occluding box; every frame comes with its truth.
 * Deterministic for a seed. Not thread-safe.
 */
public final class SyntheticScene {

  private final SkinnedBodyModel body;
  private final SceneRenderer renderer;
  private final int width;
  private final int height;
  private final int fps;
  private final int frames;
  private final List<MotionClip> clips = new ArrayList<>();
  private final List<double[]> offsets = new ArrayList<>();
  private final List<float[]> outfits = new ArrayList<>();
  private final List<SceneRenderer.Occluder> occluders = new ArrayList<>();
  private final Camera camera;
  private final int[] background;
  private final double[] light;
  private final long seed;
  private int next;

  private SyntheticScene(Builder b) {
    this.body = b.body;
    this.width = b.width;
    this.height = b.height;
    this.fps = b.fps;
    this.frames = b.frames;
    this.seed = b.seed;
    this.renderer = new SceneRenderer(body, width, height);
    Random r = new Random(b.seed);
    MotionGenerator gen =
        MotionGenerator.builder()
            .setSeed(b.seed)
            .optFps(fps)
            .optActions(
                List.of(
                    Action.WALK,
                    Action.RUN,
                    Action.TURN,
                    Action.JUMP,
                    Action.SQUAT,
                    Action.KICK,
                    Action.THROW,
                    Action.BEND))
            .build();
    for (int p = 0; p < b.persons; p++) {
      MotionClip clip = gen.clip(p, pick(r), frames);
      clips.add(clip);
      // spread people across the view, centred on their own path
      double[] mid = clip.frame(frames / 2).translation();
      double cx = (p - (b.persons - 1) / 2.0) * 1.6 + r.nextGaussian() * 0.2;
      double cz = -r.nextDouble() * 2.5;
      offsets.add(new double[] {cx - mid[0], cz - mid[2]});
      outfits.add(Clothing.dress(body, b.seed * 31 + p));
    }
    if (r.nextDouble() < 0.35) {
      occluders.add(
          new SceneRenderer.Occluder(
              r.nextGaussian() * 1.2,
              1.5 + r.nextDouble(),
              0.5 + r.nextDouble() * 0.8,
              0.5 + r.nextDouble() * 0.7,
              0.3,
              new float[] {
                (float) r.nextDouble() * 0.5f,
                (float) r.nextDouble() * 0.4f,
                (float) r.nextDouble() * 0.3f
              }));
    }
    double distance = 5.0 + r.nextDouble() * 1.5;
    double camHeight = 1.2 + r.nextDouble() * 1.0;
    double focal = width * (0.9 + 0.3 * r.nextDouble());
    camera =
        Camera.lookAt(
            new double[] {r.nextGaussian() * 0.5, camHeight, distance},
            new double[] {0, 0.9, -1},
            focal,
            width,
            height);
    background = Backgrounds.random(width, height, b.seed);
    light = new double[] {-0.3 + r.nextDouble() * 0.6, -1, -0.5 - r.nextDouble() * 0.5};
  }

  private static Action pick(Random r) {
    Action[] a = {
      Action.WALK,
      Action.WALK,
      Action.RUN,
      Action.TURN,
      Action.JUMP,
      Action.SQUAT,
      Action.KICK,
      Action.THROW
    };
    return a[r.nextInt(a.length)];
  }

  public static Builder builder(SkinnedBodyModel body) {
    return new Builder(body);
  }

  /** Whether more frames remain. */
  public boolean hasNext() {
    return next < frames;
  }

  /**
   * Renders the next frame.
   *
   * @throws java.util.NoSuchElementException after the last frame
   */
  public SceneRenderer.Frame next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException("scene has " + frames + " frames");
    }
    List<SceneRenderer.Person> people = new ArrayList<>();
    for (int p = 0; p < clips.size(); p++) {
      BodyParams params = clips.get(p).frame(next);
      double[] off = offsets.get(p);
      people.add(new SceneRenderer.Person(params, off[0], off[1], 0, outfits.get(p)));
    }
    next++;
    return renderer.render(people, occluders, camera, background, light);
  }

  /** Moves past the next frame without rendering it. */
  public void skip() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException("scene has " + frames + " frames");
    }
    next++;
  }

  /** The body parameters of person {@code p} at frame {@code f} (before placement). */
  public BodyParams params(int p, int f) {
    return clips.get(p).frame(f);
  }

  public Camera camera() {
    return camera;
  }

  public int fps() {
    return fps;
  }

  public int frames() {
    return frames;
  }

  public int persons() {
    return clips.size();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** "synthetic-scene seed=S persons=P" for labels' source fields. */
  public String describe() {
    return "synthetic-scene seed=" + seed + " persons=" + clips.size() + " body=" + body.name();
  }

  /**
   * Options; the body model is required, the rest default to 640x480, 25 fps, 250 frames, 2 people.
   */
  public static final class Builder {
    private final SkinnedBodyModel body;
    private int width = 640;
    private int height = 480;
    private int fps = 25;
    private int frames = 250;
    private int persons = 2;
    private long seed = 1;

    private Builder(SkinnedBodyModel body) {
      this.body = java.util.Objects.requireNonNull(body, "body");
    }

    public Builder optSize(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder optFps(int fps) {
      this.fps = fps;
      return this;
    }

    public Builder optFrames(int frames) {
      this.frames = frames;
      return this;
    }

    /** 1 to 3 people. */
    public Builder optPersons(int persons) {
      if (persons < 1 || persons > 3) {
        throw new IllegalArgumentException("a scene has 1 to 3 people, not " + persons);
      }
      this.persons = persons;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public SyntheticScene build() {
      if (frames < 2 || width < 64 || height < 64 || fps < 1) {
        throw new IllegalArgumentException("a scene needs at least 2 frames of 64x64 and fps >= 1");
      }
      return new SyntheticScene(this);
    }
  }
}
