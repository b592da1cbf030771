package io.megastream.ingest.detect;

import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Treats the whole frame as one person: for pre-cropped feeds and tests. Thread-safe. */
public final class FullFrameDetector implements PersonDetector {

  @Override
  public String name() {
    return "full-frame";
  }

  @Override
  public List<PersonBox> detect(Mat bgr) {
    return List.of(
        PersonBox.newBuilder()
            .setBox(Box.newBuilder().setWidth(bgr.cols()).setHeight(bgr.rows()))
            .setScore(1f)
            .build());
  }
}
