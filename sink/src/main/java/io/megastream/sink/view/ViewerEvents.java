package io.megastream.sink.view;

import com.google.gson.Gson;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * The page's wire format, compact enough for 25 fps per camera: vertices as little-endian int16
 * millimetres (the meshes are pelvis-centred, well inside ±32 m), per-vertex SD as uint8
 * millimetres (clamped at 255), both base64 in a one-line JSON object. Stateless.
 */
public final class ViewerEvents {

  private static final Gson GSON = new Gson();

  private ViewerEvents() {}

  /** The event for one decoded result; {@code frame} gives the frame size when it is stored. */
  public static ViewerClients.Event mesh(DecodedMesh m, FrameStore.Stored frame) {
    StringBuilder s = new StringBuilder(m.getVerticesCount() * 3 + 512);
    s.append('{');
    field(s, "camera", m.getFrame().getCameraId());
    s.append(",\"seq\":").append(m.getFrame().getSeq());
    s.append(",\"captureUs\":").append(m.getFrame().getCaptureTimeUs());
    s.append(",\"person\":").append(m.getPersonIndex());
    s.append(",\"track\":").append(m.hasTrackId() ? Long.toString(m.getTrackId()) : "null");
    s.append(',');
    field(s, "status", status(m.getStatus()));
    s.append(',');
    field(
        s,
        "mode",
        m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC ? "stochastic" : "deterministic");
    s.append(",\"confidence\":").append(num(m.getConfidence()));
    s.append(",\"meanSdMm\":").append(num(m.getUncertainty().getMeanVertexSdMm()));
    s.append(',');
    field(s, "model", m.getModelVersion());
    var b = m.getBox();
    s.append(",\"box\":[")
        .append(num(b.getX()))
        .append(',')
        .append(num(b.getY()))
        .append(',')
        .append(num(b.getWidth()))
        .append(',')
        .append(num(b.getHeight()))
        .append(']');
    if (frame != null) {
      s.append(",\"frame\":[").append(frame.width()).append(',').append(frame.height()).append(']');
    }
    s.append(",\"joints2d\":[");
    for (int i = 0; i < m.getJoints2DCount(); i++) {
      s.append(i == 0 ? "" : ",").append(num(m.getJoints2D(i)));
    }
    s.append(']');
    if (m.getVerticesCount() > 0) {
      s.append(",\"v\":\"").append(int16Mm(m.getVerticesCount(), m::getVertices)).append('"');
    }
    if (m.getVertexSdMmCount() > 0) {
      s.append(",\"sd\":\"").append(uint8Mm(m.getVertexSdMmList())).append('"');
    }
    s.append(",\"sentMs\":").append(System.currentTimeMillis());
    s.append('}');
    return new ViewerClients.Event("mesh", s.toString());
  }

  /** The body's fixed topology: vertex count, triangles (base64 uint32) and joint parents. */
  public static String body(SkinnedBodyModel body) {
    int[] faces = body.faces();
    ByteBuffer buf = ByteBuffer.allocate(faces.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int f : faces) {
      buf.putInt(f);
    }
    StringBuilder s = new StringBuilder("{\"vertices\":").append(body.vertexCount());
    s.append(",\"faces\":\"").append(Base64.getEncoder().encodeToString(buf.array())).append('"');
    s.append(",\"parents\":[");
    int[] parents = body.parents();
    for (int i = 0; i < parents.length; i++) {
      s.append(i == 0 ? "" : ",").append(parents[i]);
    }
    return s.append("]}").toString();
  }

  /** A list of meshes (V × 3 metres each) as a JSON array of base64 int16-millimetre strings. */
  public static String meshes(List<float[]> meshes) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < meshes.size(); i++) {
      float[] v = meshes.get(i);
      s.append(i == 0 ? "\"" : ",\"").append(int16Mm(v.length, k -> v[k])).append('"');
    }
    return s.append(']').toString();
  }

  /** {@code count} values in metres as base64 little-endian int16 millimetres (clamped). */
  private static String int16Mm(int count, IntToDoubleFunction metres) {
    ByteBuffer buf = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      long mm =
          Math.round((float) metres.applyAsDouble(i) * 1000); // float maths, as the values are
      buf.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mm)));
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  private static String uint8Mm(List<Float> sd) {
    byte[] out = new byte[sd.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.max(0, Math.min(255, Math.round(sd.get(i))));
    }
    return Base64.getEncoder().encodeToString(out);
  }

  private static String status(RecoveryStatus s) {
    return s.name().replace("RECOVERY_STATUS_", "");
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
  }

  /** A string field, escaped by Gson. */
  private static void field(StringBuilder s, String name, String value) {
    s.append('"').append(name).append("\":").append(GSON.toJson(value));
  }
}
