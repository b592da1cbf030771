package io.megastream.ingest.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Generates a test clip with JavaCV's {@link FFmpegFrameRecorder}: walking humanoid figures (head,
 * torso, swinging arms and legs, clothing colours) crossing a textured background, deterministic
 * for a seed. Stands in for camera footage in the demo and in tests until the body-model renderer
 * replaces it. Not thread-safe.
 */
public final class SyntheticClip {

  private final int width;
  private final int height;
  private final double fps;
  private final int frames;
  private final int persons;
  private final long seed;
  private final int codec;

  private SyntheticClip(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.fps = b.fps;
    this.frames = b.frames;
    this.persons = b.persons;
    this.seed = b.seed;
    this.codec = b.codec;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the clip (container chosen by the file extension, e.g. .mp4).
   *
   * @return the number of frames written
   * @throws IOException if the file cannot be written or encoded
   */
  public int write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    Random rnd = new Random(seed);
    Figure[] figures = new Figure[persons];
    for (int i = 0; i < persons; i++) {
      figures[i] = Figure.random(rnd, width, height, i, persons);
    }
    Mat background = background(rnd);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        Mat canvas = new Mat()) {
      rec.setVideoCodec(codec);
      rec.setFrameRate(fps);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setVideoBitrate(Math.max(400_000, width * height * 4));
      rec.setGopSize((int) Math.round(fps));
      rec.start();
      for (int f = 0; f < frames; f++) {
        background.copyTo(canvas);
        double t = f / fps;
        for (Figure fig : figures) {
          fig.draw(canvas, t, width);
        }
        rec.record(converter.convert(canvas));
      }
      rec.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot encode synthetic clip " + file + ": " + e.getMessage(), e);
    } finally {
      background.close();
    }
    return frames;
  }

  private Mat background(Random rnd) {
    Mat bg = new Mat(height, width, opencv_core.CV_8UC3);
    // sky-to-ground gradient with a floor line, plus noise texture: gives the detector and the
    // encoder realistic gradients instead of flat colour
    for (int y = 0; y < height; y++) {
      double v = (double) y / height;
      Scalar c =
          y < height * 0.55
              ? new Scalar(200 - 60 * v, 170 - 40 * v, 140 - 30 * v, 0)
              : new Scalar(70 + 30 * v, 110 + 20 * v, 90 + 10 * v, 0);
      opencv_imgproc.line(bg, new Point(0, y), new Point(width - 1, y), c);
    }
    opencv_core.setRNGSeed((int) seed);
    try (Mat noise = new Mat(height, width, opencv_core.CV_8UC3);
        Mat low = new Mat(3, 1, opencv_core.CV_64F, new Scalar(0));
        Mat high = new Mat(3, 1, opencv_core.CV_64F, new Scalar(24))) {
      opencv_core.randu(noise, low, high);
      opencv_core.add(bg, noise, bg);
    }
    for (int i = 0; i < 6; i++) { // a few background objects (boxes, poles)
      int x = rnd.nextInt(width);
      int w = 10 + rnd.nextInt(width / 8);
      int h = 20 + rnd.nextInt(height / 3);
      int y = (int) (height * 0.55) - h;
      opencv_imgproc.rectangle(
          bg,
          new Point(x, y),
          new Point(x + w, y + h),
          new Scalar(60 + rnd.nextInt(80), 60 + rnd.nextInt(80), 60 + rnd.nextInt(80), 0),
          -1,
          opencv_imgproc.LINE_AA,
          0);
    }
    return bg;
  }

  /** One walking person: position, scale, speed, gait phase and clothing. */
  private record Figure(
      double x0,
      double footY,
      double height,
      double speed,
      double phase,
      Scalar skin,
      Scalar shirt,
      Scalar trousers) {

    static Figure random(Random rnd, int w, int h, int index, int count) {
      double height = h * (0.45 + 0.25 * rnd.nextDouble());
      double footY = h * 0.62 + (h * 0.95 - h * 0.62) * ((index + 0.5) / count);
      footY = Math.min(footY, h - 4);
      height = Math.min(height, footY - 4);
      double speed = (rnd.nextBoolean() ? 1 : -1) * w * (0.08 + 0.1 * rnd.nextDouble());
      Scalar[] skins = {
        new Scalar(140, 170, 220, 0), new Scalar(90, 120, 170, 0), new Scalar(60, 80, 120, 0)
      };
      return new Figure(
          w * (0.15 + 0.7 * rnd.nextDouble()),
          footY,
          height,
          speed,
          rnd.nextDouble() * 2 * Math.PI,
          skins[rnd.nextInt(skins.length)],
          new Scalar(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 0),
          new Scalar(rnd.nextInt(120), rnd.nextInt(120), rnd.nextInt(160), 0));
    }

    void draw(Mat canvas, double t, int w) {
      double span = w + height;
      double x = ((x0 + speed * t) % span + span) % span - height / 2;
      double u = height / 8.0; // head height unit: adult proportions are ~7.5-8 heads
      double gait = Math.sin(phase + t * 2 * Math.PI * Math.abs(speed) / (1.6 * u * 3));
      double dir = Math.signum(speed);
      Point hip = pt(x, footY - 4 * u);
      Point neck = pt(x, footY - 6.8 * u);
      Point head = pt(x + dir * 0.1 * u, footY - 7.4 * u);
      int limb = Math.max(2, (int) Math.round(0.45 * u));
      // legs: thigh and shin swing in opposite phase
      for (int side = -1; side <= 1; side += 2) {
        double swing = 0.45 * gait * side;
        Point knee = pt(hip.x() + Math.sin(swing) * 2 * u, hip.y() + Math.cos(swing) * 2 * u);
        double shin = swing - Math.max(0, -side * gait) * 0.6;
        Point foot = pt(knee.x() + Math.sin(shin) * 2 * u, knee.y() + Math.cos(shin) * 2 * u);
        opencv_imgproc.line(canvas, hip, knee, trousers, limb + 1, opencv_imgproc.LINE_AA, 0);
        opencv_imgproc.line(canvas, knee, foot, trousers, limb, opencv_imgproc.LINE_AA, 0);
        opencv_imgproc.line(
            canvas,
            foot,
            pt(foot.x() + dir * 0.6 * u, foot.y()),
            new Scalar(30, 30, 30, 0),
            limb,
            opencv_imgproc.LINE_AA,
            0);
      }
      // torso
      opencv_imgproc.ellipse(
          canvas,
          pt(x, footY - 5.4 * u),
          new Size((int) Math.round(0.95 * u), (int) Math.round(1.6 * u)),
          0,
          0,
          360,
          shirt,
          -1,
          opencv_imgproc.LINE_AA,
          0);
      // arms swing against the legs
      for (int side = -1; side <= 1; side += 2) {
        double swing = -0.4 * gait * side;
        Point shoulder = pt(x, footY - 6.5 * u);
        Point elbow =
            pt(shoulder.x() + Math.sin(swing) * 1.5 * u, shoulder.y() + Math.cos(swing) * 1.5 * u);
        Point hand =
            pt(
                elbow.x() + Math.sin(swing + 0.3 * dir) * 1.4 * u,
                elbow.y() + Math.cos(swing + 0.3) * 1.4 * u);
        opencv_imgproc.line(canvas, shoulder, elbow, shirt, limb, opencv_imgproc.LINE_AA, 0);
        opencv_imgproc.line(
            canvas, elbow, hand, skin, Math.max(2, limb - 1), opencv_imgproc.LINE_AA, 0);
      }
      opencv_imgproc.line(
          canvas, neck, pt(x, footY - 6.4 * u), skin, limb, opencv_imgproc.LINE_AA, 0);
      opencv_imgproc.circle(
          canvas, head, (int) Math.round(0.5 * u), skin, -1, opencv_imgproc.LINE_AA, 0);
    }

    private static Point pt(double x, double y) {
      return new Point((int) Math.round(x), (int) Math.round(y));
    }
  }

  /** Clip options; all have defaults (640x480, 25 fps, 10 s, 2 persons, seed 1, MPEG-4). */
  public static final class Builder {
    private int width = 640;
    private int height = 480;
    private double fps = 25;
    private int frames = 250;
    private int persons = 2;
    private long seed = 1;
    private int codec = avcodec.AV_CODEC_ID_MPEG4;

    private Builder() {}

    public Builder optSize(int width, int height) {
      if (width < 64 || height < 64 || width % 2 != 0 || height % 2 != 0) {
        throw new IllegalArgumentException("size must be even and at least 64x64");
      }
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder optFps(double fps) {
      if (fps <= 0 || fps > 240) {
        throw new IllegalArgumentException("fps must be in (0, 240]");
      }
      this.fps = fps;
      return this;
    }

    public Builder optFrames(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("frames must be >= 1");
      }
      this.frames = frames;
      return this;
    }

    public Builder optPersons(int persons) {
      if (persons < 0 || persons > 10) {
        throw new IllegalArgumentException("persons must be 0..10");
      }
      this.persons = persons;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** An FFmpeg codec id, e.g. {@code avcodec.AV_CODEC_ID_H264} (libopenh264). */
    public Builder optCodec(int codec) {
      this.codec = codec;
      return this;
    }

    public SyntheticClip build() {
      return new SyntheticClip(this);
    }
  }
}
