package io.megastream.sink.decode;

import io.megastream.mega.body.Joint;
import io.megastream.mega.model.OrientedMesh;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.pose.CropWindow;
import io.megastream.proto.Box;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Roi;
import io.megastream.proto.StochasticSamples;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code meshes} results: the 54 tokens through the tokenizer's decoder (in batches), the
 * canonical mesh turned by the predicted rotation, the joints regressed from it, and the 2D joints
 * mapped from the person crop back into the frame with the predicted camera and the crop the result
 * names ({@link #window}). Each result is decoded with the tokenizer of the model that made it
 * ({@link Tokenizers}). Not thread-safe (the tokenizers are not).
 */
public final class MeshDecoder {

  private final Tokenizers tokenizers;

  /** Decodes every result with this one tokenizer. */
  public MeshDecoder(TokenizerModel tokenizer) {
    this(Tokenizers.single(tokenizer));
  }

  /** Decodes each result with its model's tokenizer. */
  public MeshDecoder(Tokenizers tokenizers) {
    this.tokenizers = tokenizers;
  }

  /**
   * Decodes results; those that are not {@code OK} come back without a mesh.
   *
   * @param samples the {@code samples} records by {@link #key}, for the per-vertex uncertainty
   * @throws IllegalArgumentException if an {@code OK} result has the wrong number of tokens, a
   *     token outside the codebook, or an incomplete rotation or camera, or no tokenizer is known
   *     for its model
   */
  public List<DecodedPerson> decode(
      List<MeshRecovery> results, Map<String, StochasticSamples> samples) {
    // one batch per tokenizer
    Map<TokenizerModel, List<MeshRecovery>> batches = new IdentityHashMap<>();
    Map<MeshRecovery, TokenizerModel> chosen = new IdentityHashMap<>();
    for (MeshRecovery r : results) {
      if (r.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK) {
        TokenizerModel t = tokenizer(r);
        check(r, t);
        chosen.put(r, t);
        batches.computeIfAbsent(t, x -> new ArrayList<>()).add(r);
      }
    }
    Map<MeshRecovery, float[]> canonical = new IdentityHashMap<>();
    for (Map.Entry<TokenizerModel, List<MeshRecovery>> b : batches.entrySet()) {
      List<MeshRecovery> ok = b.getValue();
      int[][] tokens = new int[ok.size()][];
      for (int i = 0; i < ok.size(); i++) {
        tokens[i] = ok.get(i).getTokensList().stream().mapToInt(Integer::intValue).toArray();
      }
      List<float[]> meshes = b.getKey().decode(tokens);
      for (int i = 0; i < ok.size(); i++) {
        canonical.put(ok.get(i), meshes.get(i));
      }
    }
    List<DecodedPerson> out = new ArrayList<>();
    float[] none = new float[0];
    for (MeshRecovery r : results) {
      if (r.getStatus() != RecoveryStatus.RECOVERY_STATUS_OK) {
        out.add(new DecodedPerson(r, none, none, none, null));
        continue;
      }
      float[] rotCam = rotCam(r);
      OrientedMesh m = OrientedMesh.of(chosen.get(r).body(), canonical.get(r), rotCam);
      StochasticSamples s = samples.get(key(r));
      out.add(new DecodedPerson(r, m.vertices(), m.joints(), toFrame(m.joints2d(), r), sd(s)));
    }
    return out;
  }

  /** (camera, seq, person): what a result and its samples share. */
  public static String key(MeshRecovery r) {
    return key(r.getFrame().getCameraId(), r.getFrame().getSeq(), r.getPersonIndex());
  }

  /** The same key for a samples record. */
  public static String key(StochasticSamples s) {
    return key(s.getFrame().getCameraId(), s.getFrame().getSeq(), s.getPersonIndex());
  }

  /** The same key from its parts. */
  public static String key(String camera, long seq, int person) {
    return camera + '/' + seq + '/' + person;
  }

  /** The predicted 6D rotation and (s, tx, ty) as the network's head output. */
  static float[] rotCam(MeshRecovery r) {
    float[] rc = new float[9];
    for (int i = 0; i < 6; i++) {
      rc[i] = r.getRotation6D(i);
    }
    for (int i = 0; i < 3; i++) {
      rc[6 + i] = r.getCamera(i);
    }
    return rc;
  }

  /** Crop coordinates in [0, 1] to frame pixels, for the crop the result refers to. */
  static float[] toFrame(float[] crop2d, MeshRecovery r) {
    CropWindow w = window(r);
    float[] out = new float[Joint.COUNT * 2];
    for (int k = 0; k < Joint.COUNT; k++) {
      out[k * 2] = (float) w.frameX(crop2d[k * 2], crop2d[k * 2 + 1]);
      out[k * 2 + 1] = (float) w.frameY(crop2d[k * 2], crop2d[k * 2 + 1]);
    }
    return out;
  }

  /**
   * The crop a result's camera and 2D joints refer to: its {@code crop}, or for results written
   * before that field, the square the worker cut around its box.
   */
  public static CropWindow window(MeshRecovery r) {
    if (r.hasCrop()) {
      Roi c = r.getCrop();
      return new CropWindow(c.getCenterX(), c.getCenterY(), c.getSide(), c.getAngle());
    }
    Box b = r.getBox();
    return CropWindow.around(b.getX(), b.getY(), b.getWidth(), b.getHeight());
  }

  private static float[] sd(StochasticSamples s) {
    if (s == null || s.getVertexSdMmCount() == 0) {
      return null;
    }
    float[] v = new float[s.getVertexSdMmCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.getVertexSdMm(i);
    }
    return v;
  }

  private TokenizerModel tokenizer(MeshRecovery r) {
    try {
      return tokenizers.forModel(r.getModelVersion());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key(r) + ": " + e.getMessage(), e);
    }
  }

  private static void check(MeshRecovery r, TokenizerModel tokenizer) {
    int n = r.getTokensCount();
    int codebook = tokenizer.config().codebookSize();
    String where = key(r);
    if (n != tokenizer.config().tokens()) {
      throw new IllegalArgumentException(
          where + ": " + n + " tokens, the tokenizer takes " + tokenizer.config().tokens());
    }
    for (int t : r.getTokensList()) {
      if (t < 0 || t >= codebook) {
        throw new IllegalArgumentException(where + ": token " + t + " outside the codebook");
      }
    }
    if (r.getRotation6DCount() != 6 || r.getCameraCount() != 3) {
      throw new IllegalArgumentException(where + ": needs a 6D rotation and a 3-value camera");
    }
  }
}
