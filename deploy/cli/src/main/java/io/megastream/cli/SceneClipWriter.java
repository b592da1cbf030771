package io.megastream.cli;

import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.proto.Label;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes a {@link SyntheticScene} as a video clip (JavaCV's FFmpeg recorder) and its per-frame
 * ground truth as length-delimited {@code Label} messages in {@code <clip>.labels}: one Label per
 * frame, in frame order, with each person's box, body parameters, 2D/3D joints and landmarks.
 */
final class SceneClipWriter {

  private SceneClipWriter() {}

  /** The labels file that goes with a clip. */
  static Path labelsFile(Path clip) {
    return clip.resolveSibling(clip.getFileName() + ".labels");
  }

  /**
   * Renders and writes every frame of the scene.
   *
   * @return frames written
   * @throws IOException if the clip or labels cannot be written
   */
  static int write(SyntheticScene scene, Path clip, String cameraId) throws IOException {
    Path parent = clip.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    int n = 0;
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(
            scene.width(), scene.height(), java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    try (FFmpegFrameRecorder rec =
            new FFmpegFrameRecorder(clip.toFile(), scene.width(), scene.height(), 0);
        Java2DFrameConverter converter = new Java2DFrameConverter();
        OutputStream labels = new BufferedOutputStream(Files.newOutputStream(labelsFile(clip)))) {
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setFrameRate(scene.fps());
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setVideoBitrate(Math.max(800_000, scene.width() * scene.height() * 6));
      rec.setGopSize(scene.fps());
      rec.start();
      while (scene.hasNext()) {
        SceneRenderer.Frame f = scene.next();
        img.setRGB(0, 0, f.width(), f.height(), f.pixels(), 0, f.width());
        rec.record(converter.convert(img));
        label(scene, f, n, cameraId).writeDelimitedTo(labels);
        n++;
      }
      rec.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot encode " + clip + ": " + e.getMessage(), e);
    }
    return n;
  }

  static Label label(SyntheticScene scene, SceneRenderer.Frame f, int frame, String cameraId) {
    return io.megastream.train.image.SceneLabels.label(scene, f, frame, cameraId);
  }
}
