package io.megastream.cli;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.sink.decode.MeshDecoder;
import io.megastream.sink.overlay.OverlayVideo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream overlay}: a camera's frames with its recovered meshes, as an MP4. */
@Command(
    name = "overlay",
    mixinStandardHelpOptions = true,
    description =
        "Writes an MP4 of one camera from the frames archive with the recovered meshes of the"
            + " meshes topic drawn on every frame (coloured by per-vertex uncertainty where the"
            + " person was sampled) and the skeletons.")
final class OverlayCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--camera", required = true, description = "Camera id.")
  String camera;

  @Option(names = "--out", required = true, description = "The MP4 file to write.")
  Path out;

  @Option(names = "--fps", defaultValue = "25", description = "Frame rate (default: 25).")
  double fps;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizerDir;

  @Override
  public Integer call() throws Exception {
    try (TokenizerModel tokenizer = TokenizerModel.load(tokenizerDir, ProceduralBody.build())) {
      OverlayVideo.Result r =
          new OverlayVideo(kafka.properties(), new MeshDecoder(tokenizer))
              .write(camera, out, fps, Duration.ofMinutes(5));
      System.out.printf(
          "wrote %s: %d frames, %d meshes drawn%n",
          r.file().toAbsolutePath(), r.frames(), r.persons());
      return ExitCodes.OK;
    } catch (TokenizerLoadException | java.io.IOException e) {
      System.err.println("megastream overlay: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    } catch (IllegalStateException e) {
      System.err.println("megastream overlay: " + e.getMessage());
      return ExitCodes.KAFKA_UNAVAILABLE;
    }
  }
}
