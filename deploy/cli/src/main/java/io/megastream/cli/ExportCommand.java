package io.megastream.cli;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.sink.decode.MeshDecoder;
import io.megastream.sink.export.ArchiveExport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream export}: a camera's results from the meshes archive, as files. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes one camera's results from the meshes topic (read_committed, what is there now) to"
          + " files: an OBJ mesh per person per frame (camera-frame metres) and results.jsonl, one"
          + " JSON line per result with status, mode, confidence, uncertainty, model version,"
          + " tokens, 3D joints and frame-pixel 2D joints. Cut by capture time or by offset."
    })
final class ExportCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--camera", required = true, description = "Camera id.")
  String camera;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(
      names = "--from-time",
      description = "First capture time, ISO-8601 (e.g. 2026-11-22T10:00:00Z).")
  Instant fromTime;

  @Option(names = "--to-time", description = "Last capture time, ISO-8601.")
  Instant toTime;

  @Option(names = "--from-offset", defaultValue = "0", description = "First meshes offset.")
  long fromOffset;

  @Option(names = "--to-offset", defaultValue = "" + Long.MAX_VALUE, description = "Last offset.")
  long toOffset;

  @Option(
      names = "--format",
      split = ",",
      defaultValue = "gltf,obj",
      description =
          "Mesh files beside the table: gltf (one animated .glb per person), obj (one per person"
              + " per frame), or none (default: ${DEFAULT-VALUE}).")
  List<String> formats;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizerDir;

  private java.util.Set<ArchiveExport.MeshFormat> meshFormats() {
    java.util.Set<ArchiveExport.MeshFormat> out =
        java.util.EnumSet.noneOf(ArchiveExport.MeshFormat.class);
    for (String f : formats) {
      switch (f.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "gltf", "glb" -> out.add(ArchiveExport.MeshFormat.GLTF);
        case "obj" -> out.add(ArchiveExport.MeshFormat.OBJ);
        case "none" -> {}
        default -> throw new IllegalArgumentException("--format: gltf, obj or none, not " + f);
      }
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    SkinnedBodyModel body = ProceduralBody.build();
    ArchiveExport.Range range;
    try {
      range =
          new ArchiveExport.Range(
              camera,
              fromTime == null ? 0 : fromTime.toEpochMilli() * 1000,
              toTime == null ? Long.MAX_VALUE : toTime.toEpochMilli() * 1000,
              fromOffset,
              toOffset,
              meshFormats());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    try (TokenizerModel tokenizer = TokenizerModel.load(tokenizerDir, body)) {
      ArchiveExport.Result r =
          new ArchiveExport(kafka.properties(), new MeshDecoder(tokenizer), body.faces())
              .export(range, out, Duration.ofMinutes(5));
      System.out.printf(
          "exported %d results of camera %s (%d glTF sequence(s), %d OBJ meshes) to %s%n",
          r.results(), camera, r.sequences(), r.meshes(), out.toAbsolutePath());
      return r.results() == 0 ? ExitCodes.SOURCE_UNAVAILABLE : ExitCodes.OK;
    } catch (TokenizerLoadException e) {
      System.err.println("megastream export: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    } catch (IllegalStateException e) {
      System.err.println("megastream export: " + e.getMessage());
      return ExitCodes.KAFKA_UNAVAILABLE;
    }
  }
}
