package io.megastream.sink.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.read.TopicSnapshot;
import io.megastream.sink.decode.CameraResults;
import io.megastream.sink.decode.DecodedPerson;
import io.megastream.sink.decode.MeshDecoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code megastream export}: one camera's results from the {@code meshes} archive (read_committed,
 * up to the end offsets at the start), optionally cut to a range of capture times or of offsets,
 * written as files users open elsewhere: one binary glTF animation per person ({@link
 * GltfSequence}, {@code <camera>-track-<id>.glb}, or {@code -person-<index>} without tracks; split
 * every {@value #FRAMES_PER_GLTF} frames into {@code -part-<k>}), one Wavefront OBJ mesh per person
 * per frame ({@code <seq>-<person>.obj}, camera-frame metres) and {@code results.jsonl}, one JSON
 * object per result with its status, mode, confidence, uncertainty, model version, tokens, 3D
 * joints and frame-pixel 2D joints. The output depends only on the archive and the tokenizer:
 * exporting again gives the same files. Not thread-safe.
 */
public final class ArchiveExport {

  /** Frames per glTF file: the file holds one morph target per frame. */
  public static final int FRAMES_PER_GLTF = 250;

  /** Mesh files to write beside the table. */
  public enum MeshFormat {
    /** One glTF animation (.glb) per person. */
    GLTF,
    /** One OBJ per person per frame. */
    OBJ
  }

  /**
   * What to export.
   *
   * @param camera the camera id
   * @param fromCaptureUs first capture time included (µs since the epoch), or 0
   * @param toCaptureUs last capture time included, or {@code Long.MAX_VALUE}
   * @param fromOffset first {@code meshes} offset included, or 0
   * @param toOffset last offset included, or {@code Long.MAX_VALUE}
   * @param meshes which mesh files to write (the table is always written)
   */
  public record Range(
      String camera,
      long fromCaptureUs,
      long toCaptureUs,
      long fromOffset,
      long toOffset,
      java.util.Set<MeshFormat> meshes) {

    public Range {
      Objects.requireNonNull(camera, "camera");
      meshes = java.util.Set.copyOf(meshes);
      if (fromCaptureUs > toCaptureUs || fromOffset > toOffset) {
        throw new IllegalArgumentException("empty range: from is after to");
      }
    }

    /** Every result of a camera. */
    public static Range all(String camera) {
      return new Range(
          camera, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, java.util.EnumSet.allOf(MeshFormat.class));
    }
  }

  /** What was written. */
  public record Result(int results, int meshes, int sequences, Path table) {}

  private final Map<String, Object> kafka;
  private final MeshDecoder decoder;
  private final int[] faces;

  /**
   * @param faces the body model's triangles (3 vertex indices each), for the OBJ files
   */
  public ArchiveExport(Map<String, Object> kafka, MeshDecoder decoder, int[] faces) {
    this.kafka = Map.copyOf(kafka);
    this.decoder = decoder;
    this.faces = faces.clone();
  }

  /**
   * Exports into {@code out} (created if needed).
   *
   * @throws IOException if a file cannot be written
   */
  public Result export(Range range, Path out, Duration timeout) throws IOException {
    CameraResults read =
        CameraResults.read(
            new TopicSnapshot(kafka),
            range.camera(),
            (r, m) -> {
              long capture = m.getFrame().getCaptureTimeUs();
              return r.offset() >= range.fromOffset()
                  && r.offset() <= range.toOffset()
                  && capture >= range.fromCaptureUs()
                  && capture <= range.toCaptureUs();
            },
            timeout);
    List<MeshRecovery> results = new ArrayList<>(read.results());
    Map<String, StochasticSamples> samples = read.samples();
    results.sort(
        Comparator.<MeshRecovery>comparingLong(m -> m.getFrame().getSeq())
            .thenComparingInt(MeshRecovery::getPersonIndex));
    Files.createDirectories(out);
    Path table = out.resolve("results.jsonl");
    int meshes = 0;
    Map<String, List<DecodedPerson>> byPerson = new java.util.TreeMap<>();
    try (BufferedWriter w = Files.newBufferedWriter(table, StandardCharsets.UTF_8)) {
      for (int start = 0; start < results.size(); start += 32) {
        for (DecodedPerson p :
            decoder.decode(results.subList(start, Math.min(results.size(), start + 32)), samples)) {
          w.write(row(p).toString());
          w.write('\n');
          if (range.meshes().contains(MeshFormat.GLTF) && p.hasMesh()) {
            byPerson.computeIfAbsent(personKey(p.result()), k -> new ArrayList<>()).add(p);
          }
          if (range.meshes().contains(MeshFormat.OBJ) && p.hasMesh()) {
            MeshRecovery m = p.result();
            writeObj(
                out.resolve(
                    String.format(
                        Locale.ROOT, "%08d-%d.obj", m.getFrame().getSeq(), m.getPersonIndex())),
                p);
            meshes++;
          }
        }
      }
    }
    int sequences = 0;
    for (Map.Entry<String, List<DecodedPerson>> e : byPerson.entrySet()) {
      List<DecodedPerson> frames = e.getValue();
      for (int part = 0; part * FRAMES_PER_GLTF < frames.size(); part++) {
        String name = range.camera() + "-" + e.getKey();
        String file = frames.size() <= FRAMES_PER_GLTF ? name : name + "-part-" + (part + 1);
        GltfSequence.write(
            out.resolve(safe(file) + ".glb"),
            frames.subList(
                part * FRAMES_PER_GLTF, Math.min(frames.size(), (part + 1) * FRAMES_PER_GLTF)),
            faces,
            name);
        sequences++;
      }
    }
    return new Result(results.size(), meshes, sequences, table);
  }

  /** A person across frames: its track when the detector tracked it, else its index. */
  private static String personKey(MeshRecovery m) {
    return m.hasTrackId()
        ? String.format(Locale.ROOT, "track-%d", m.getTrackId())
        : String.format(Locale.ROOT, "person-%d", m.getPersonIndex());
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static JsonObject row(DecodedPerson p) {
    MeshRecovery m = p.result();
    JsonObject o = new JsonObject();
    o.addProperty("camera", m.getFrame().getCameraId());
    o.addProperty("seq", m.getFrame().getSeq());
    o.addProperty("capture_time_us", m.getFrame().getCaptureTimeUs());
    o.addProperty("person", m.getPersonIndex());
    if (m.hasTrackId()) {
      o.addProperty("track", m.getTrackId());
    }
    o.addProperty("status", m.getStatus().name().replace("RECOVERY_STATUS_", ""));
    o.addProperty("model_version", m.getModelVersion());
    if (p.hasMesh()) {
      o.addProperty("mode", m.getMode().name().replace("RECOVERY_MODE_", ""));
      o.addProperty("confidence", m.getConfidence());
      o.addProperty("uncertainty_signal", m.getUncertainty().getSignal());
      if (m.getUncertainty().getMeanVertexSdMm() > 0) {
        o.addProperty("mean_vertex_sd_mm", m.getUncertainty().getMeanVertexSdMm());
      }
      JsonArray tokens = new JsonArray();
      m.getTokensList().forEach(tokens::add);
      o.add("tokens", tokens);
      o.add("joints_3d", array(p.joints3d()));
      o.add("joints_2d", array(p.joints2d()));
    }
    return o;
  }

  private static JsonArray array(float[] v) {
    JsonArray a = new JsonArray();
    for (float x : v) {
      a.add(Math.round(x * 1e5) / 1e5);
    }
    return a;
  }

  private void writeObj(Path file, DecodedPerson p) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      MeshRecovery m = p.result();
      w.write(
          String.format(
              Locale.ROOT,
              "# MegaStream %s/%d person %d, model %s; metres, camera axes (x right, y down, z"
                  + " forward), pelvis at the origin%n",
              m.getFrame().getCameraId(),
              m.getFrame().getSeq(),
              m.getPersonIndex(),
              m.getModelVersion()));
      float[] v = p.vertices();
      for (int i = 0; i < v.length; i += 3) {
        w.write(String.format(Locale.ROOT, "v %.5f %.5f %.5f%n", v[i], v[i + 1], v[i + 2]));
      }
      for (int i = 0; i < faces.length; i += 3) {
        w.write(
            String.format(
                Locale.ROOT, "f %d %d %d%n", faces[i] + 1, faces[i + 1] + 1, faces[i + 2] + 1));
      }
    }
  }
}
