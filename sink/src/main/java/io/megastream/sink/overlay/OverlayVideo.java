package io.megastream.sink.overlay;

import io.megastream.pose.Images;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topics;
import io.megastream.proto.read.TopicSnapshot;
import io.megastream.sink.decode.CameraResults;
import io.megastream.sink.decode.DecodedPerson;
import io.megastream.sink.decode.MeshDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@code megastream overlay}: an MP4 of one camera, read back from the {@code frames} archive, with
 * the recovered meshes of the {@code meshes} topic drawn on every frame (coloured by per-vertex
 * uncertainty where the person was sampled), encoded by JavaCV's FFmpeg recorder (MPEG-4 part 2,
 * which every FFmpeg build has). Frames are matched to results by camera, ingest run and sequence
 * number. Not thread-safe.
 */
public final class OverlayVideo {

  /** What was written. */
  public record Result(int frames, int persons, Path file) {}

  private final Map<String, Object> kafka;
  private final MeshDecoder decoder;

  public OverlayVideo(Map<String, Object> kafka, MeshDecoder decoder) {
    this.kafka = Map.copyOf(kafka);
    this.decoder = decoder;
  }

  /**
   * Writes the video.
   *
   * @param fps frame rate of the file
   * @throws IOException if the file cannot be encoded or the camera has no frames
   */
  public Result write(String camera, Path mp4, double fps, Duration timeout) throws IOException {
    TopicSnapshot snapshot = new TopicSnapshot(kafka);
    List<Frame> frames = new ArrayList<>();
    snapshot.read(
        Topics.FRAMES,
        timeout,
        "ingest a camera first",
        (r, f) -> {
          if (f.getCameraId().equals(camera)) {
            frames.add(f);
          }
        });
    if (frames.isEmpty()) {
      throw new IOException("no frames of camera '" + camera + "' on " + Topics.FRAMES.name());
    }
    frames.sort(Comparator.comparingLong(Frame::getCaptureTimeUs).thenComparingLong(Frame::getSeq));
    CameraResults read = CameraResults.read(snapshot, camera, (r, m) -> true, timeout);
    Map<String, List<MeshRecovery>> results = new HashMap<>();
    for (MeshRecovery m : read.results()) {
      results
          .computeIfAbsent(
              frameKey(m.getFrame().getIngestRunId(), m.getFrame().getSeq()),
              k -> new ArrayList<>())
          .add(m);
    }
    Map<String, StochasticSamples> samples = read.samples();
    Files.createDirectories(mp4.toAbsolutePath().getParent());
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    int width = even(frames.get(0).getWidth());
    int height = even(frames.get(0).getHeight());
    int written = 0;
    int persons = 0;
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), width, height, 0);
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setFrameRate(fps);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setVideoBitrate(Math.max(1_000_000, width * height * 8));
      rec.start();
      for (Frame f : frames) {
        Mat img = Images.decode(f.getImage().toByteArray());
        if (img == null) {
          continue; // an undecodable frame was dead-lettered upstream; the video skips it
        }
        try (img) {
          List<MeshRecovery> mine =
              results.getOrDefault(frameKey(f.getIngestRunId(), f.getSeq()), List.of());
          for (DecodedPerson p : decoder.decode(mine, samples)) {
            MeshOverlay.draw(img, p);
            persons += p.hasMesh() ? 1 : 0;
          }
          if (img.cols() != width || img.rows() != height) {
            opencv_imgproc.resize(img, img, new Size(width, height));
          }
          rec.record(converter.convert(img));
          written++;
        }
      }
      rec.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot encode " + mp4 + ": " + e.getMessage(), e);
    }
    return new Result(written, persons, mp4);
  }

  private static String frameKey(String run, long seq) {
    return run + '/' + seq;
  }

  private static int even(int v) {
    return v - (v % 2);
  }
}
