package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.proto.Label;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rendered scene clip decodes to as many frames as it has labels, each with its people. */
class SceneClipIT {

  @Test
  void shouldWriteADecodableClipWithOneLabelPerFrame(@TempDir Path dir) throws Exception {
    // Given
    Path clip = dir.resolve("scene.mp4");

    // When
    int code =
        Main.execute(
            "clip",
            "--out",
            clip.toString(),
            "--width",
            "320",
            "--height",
            "240",
            "--seconds",
            "1",
            "--persons",
            "2");

    // Then
    assertThat(code).isZero();
    List<Label> labels = new ArrayList<>();
    try (InputStream in = Files.newInputStream(SceneClipWriter.labelsFile(clip))) {
      Label l;
      while ((l = Label.parseDelimitedFrom(in)) != null) {
        labels.add(l);
      }
    }
    assertThat(labels).hasSize(25);
    assertThat(labels).allSatisfy(l -> assertThat(l.getPersonsCount()).isEqualTo(2));
    assertThat(labels.get(0).getPersons(0).getBody().getPoseCount()).isEqualTo(72);
    assertThat(labels.get(0).getPersons(0).getLandmarks2DCount()).isEqualTo(66);
    int frames = 0;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.start();
      while (g.grabImage() != null) {
        frames++;
      }
      assertThat(g.getImageWidth()).isEqualTo(320);
    }
    assertThat(frames).isEqualTo(labels.size());
  }
}
