package io.megastream.proto.serde;

import com.google.protobuf.Message;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.Frame;
import io.megastream.proto.ImageEncoding;
import io.megastream.proto.Label;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.MocapFrame;
import io.megastream.proto.ModelVersion;
import io.megastream.proto.PersonBox;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;

/**
 * Contract checks applied after parsing: the fields a reader cannot do without. They also catch
 * most foreign records that happen to parse (protobuf accepts many byte strings).
 */
public final class Validators {

  /** Tokens per mesh (N). */
  public static final int TOKENS_PER_MESH = 54;

  /** Codebook size (S): every token is below this. */
  public static final int CODEBOOK_SIZE = 512;

  private Validators() {}

  /** Returns a description of the first contract violation, or null if the message is valid. */
  public static String check(Message m) {
    if (m instanceof Frame f) {
      return frame(f);
    } else if (m instanceof MeshRecovery r) {
      return mesh(r);
    } else if (m instanceof StochasticSamples s) {
      return s.getFrame().getCameraId().isEmpty() ? "frame.camera_id is empty" : null;
    } else if (m instanceof Label l) {
      return l.getFrame().getCameraId().isEmpty() ? "frame.camera_id is empty" : null;
    } else if (m instanceof MocapFrame f) {
      return f.getSequenceId().isEmpty() ? "sequence_id is empty" : null;
    } else if (m instanceof ModelVersion v) {
      return v.getModelName().isEmpty() || v.getVersion().isEmpty()
          ? "model_name and version must be set"
          : null;
    } else if (m instanceof DecodedMesh d) {
      if (d.getFrame().getCameraId().isEmpty()) {
        return "frame.camera_id is empty";
      }
      if (d.getVerticesCount() % 3 != 0 || d.getJoints3DCount() % 3 != 0) {
        return "vertices and joints_3d must be triples";
      }
      return d.getJoints2DCount() % 2 != 0 ? "joints_2d must be pairs" : null;
    } else if (m instanceof DeadLetter d) {
      return d.getStage().isEmpty() ? "stage is empty" : null;
    }
    return null;
  }

  private static String frame(Frame f) {
    if (f.getCameraId().isEmpty()) {
      return "camera_id is empty";
    }
    if (f.getWidth() <= 0 || f.getHeight() <= 0) {
      return "size " + f.getWidth() + "x" + f.getHeight() + " is not positive";
    }
    if (f.getEncoding() == ImageEncoding.IMAGE_ENCODING_UNSPECIFIED
        || f.getEncoding() == ImageEncoding.UNRECOGNIZED) {
      return "encoding is unspecified or unknown (" + f.getEncodingValue() + ")";
    }
    if (f.getImage().isEmpty()) {
      return "image is empty";
    }
    if (f.getSeq() < 0) {
      return "seq is negative";
    }
    for (int i = 0; i < f.getPersonsCount(); i++) {
      PersonBox p = f.getPersons(i);
      if (p.getBox().getWidth() <= 0 || p.getBox().getHeight() <= 0) {
        return "persons[" + i + "] has an empty box";
      }
    }
    return null;
  }

  private static String mesh(MeshRecovery r) {
    if (r.getFrame().getCameraId().isEmpty()) {
      return "frame.camera_id is empty";
    }
    if (r.getStatus() == RecoveryStatus.RECOVERY_STATUS_UNSPECIFIED) {
      return "status is unspecified";
    }
    if (r.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK) {
      if (r.getTokensCount() != TOKENS_PER_MESH) {
        return "status OK needs " + TOKENS_PER_MESH + " tokens, has " + r.getTokensCount();
      }
      for (int t : r.getTokensList()) {
        if (t >= CODEBOOK_SIZE) {
          return "token " + t + " is outside the codebook (size " + CODEBOOK_SIZE + ")";
        }
      }
    }
    return null;
  }
}
