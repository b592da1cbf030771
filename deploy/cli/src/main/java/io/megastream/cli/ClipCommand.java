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
    description = {
      "Writes a synthetic test clip with JavaCV's FFmpeg.",
      "--kind scene (default): 1-3 rendered people (MegaStream's body model, synthetic motion,"
          + " clothing, background, occluders) with per-frame ground truth in FILE.labels"
          + " (length-delimited megastream.v1.Label messages).",
      "--kind walkers: flat walking figures, no labels (fast, no body model needed)."
    })
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

  @Option(
      names = "--kind",
      defaultValue = "scene",
      description = "scene or walkers (default: ${DEFAULT-VALUE}).")
  String kind;

  @Override
  public Integer call() throws Exception {
    if (kind.equals("scene")) {
      if (persons < 1 || persons > 3) {
        throw new IllegalArgumentException("--persons must be 1..3 for a scene");
      }
      io.megastream.mega.render.SyntheticScene scene =
          io.megastream.mega.render.SyntheticScene.builder(
                  io.megastream.mega.body.ProceduralBody.build())
              .optSize(width, height)
              .optFps((int) Math.round(fps))
              .optFrames((int) Math.max(2, Math.round(seconds * fps)))
              .optPersons(persons)
              .optSeed(seed)
              .build();
      int n = SceneClipWriter.write(scene, out, "synthetic");
      System.out.println(
          "wrote "
              + n
              + " frames ("
              + width
              + "x"
              + height
              + ", "
              + persons
              + " people) to "
              + out
              + ", labels to "
              + SceneClipWriter.labelsFile(out));
      return ExitCodes.OK;
    } else if (!kind.equals("walkers")) {
      throw new IllegalArgumentException("--kind must be scene or walkers");
    }
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
