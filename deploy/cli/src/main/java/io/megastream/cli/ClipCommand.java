package io.megastream.cli;

import io.megastream.ingest.clip.SyntheticClip;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avcodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream clip}: writes a synthetic test clip. */
@Command(
    name = "clip",
    mixinStandardHelpOptions = true,
    description =
        "Writes a synthetic test clip (walking figures on a textured background) with JavaCV's FFmpeg.")
final class ClipCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output file; the extension picks the container (.mp4, .avi, .mkv).")
  Path out;

  @Option(names = "--width", defaultValue = "640")
  int width;

  @Option(names = "--height", defaultValue = "480")
  int height;

  @Option(names = "--fps", defaultValue = "25")
  double fps;

  @Option(names = "--seconds", defaultValue = "10")
  double seconds;

  @Option(names = "--persons", defaultValue = "2")
  int persons;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(
      names = "--codec",
      defaultValue = "mpeg4",
      description = "mpeg4, h264 (libopenh264) or mjpeg (default: ${DEFAULT-VALUE}).")
  String codec;

  @Override
  public Integer call() throws Exception {
    int codecId =
        switch (codec) {
          case "mpeg4" -> avcodec.AV_CODEC_ID_MPEG4;
          case "h264" -> avcodec.AV_CODEC_ID_H264;
          case "mjpeg" -> avcodec.AV_CODEC_ID_MJPEG;
          default -> throw new IllegalArgumentException("--codec must be mpeg4, h264 or mjpeg");
        };
    int frames =
        SyntheticClip.builder()
            .optSize(width, height)
            .optFps(fps)
            .optFrames((int) Math.max(1, Math.round(seconds * fps)))
            .optPersons(persons)
            .optSeed(seed)
            .optCodec(codecId)
            .build()
            .write(out);
    System.out.println(
        "wrote " + frames + " frames (" + width + "x" + height + " @ " + fps + " fps) to " + out);
    return ExitCodes.OK;
  }
}
