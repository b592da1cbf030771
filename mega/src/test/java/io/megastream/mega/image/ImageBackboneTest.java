package io.megastream.mega.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megastream.mega.body.Joint;
import io.megastream.mega.model.MegaLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBackboneTest {

  /** A dark crop with one bright disc; every joint is at the disc's centre. */
  private static BackboneTrainer.Example disc(Random r) {
    int s = ImageBackbone.INPUT;
    double cx = s * (0.2 + 0.6 * r.nextDouble());
    double cy = s * (0.2 + 0.6 * r.nextDouble());
    byte[] bgr = new byte[s * s * 3];
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        boolean in = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < 10;
        int v = in ? 230 : 20 + r.nextInt(20);
        for (int c = 0; c < 3; c++) {
          bgr[(y * s + x) * 3 + c] = (byte) v;
        }
      }
    }
    float[] joints = new float[Joint.COUNT * 2];
    for (int k = 0; k < Joint.COUNT; k++) {
      joints[k * 2] = (float) (cx / s - 0.5);
      joints[k * 2 + 1] = (float) (cy / s - 0.5);
    }
    return new BackboneTrainer.Example(ImageBackbone.input(bgr), joints);
  }

  @Test
  void learnsToLocaliseFromHeatmaps() {
    Random r = new Random(3);
    List<BackboneTrainer.Example> test = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      test.add(disc(r));
    }
    try (ImageBackbone b = ImageBackbone.create();
        BackboneTrainer t = new BackboneTrainer(b, 3e-3f, 80, 0)) {
      double before = t.evaluate(test).jointError();
      for (int step = 0; step < 80; step++) {
        List<BackboneTrainer.Example> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          batch.add(disc(r));
        }
        t.step(batch);
      }
      double after = t.evaluate(test).jointError();
      // a blind guess at the crop centre is ~0.17 of the crop off; learning must beat it clearly
      assertTrue(after < 0.08 && after < before / 2, "2D error " + before + " -> " + after);
      assertEquals(80, t.step());
    }
  }

  @Test
  void featuresAreAGridOfCellsAndSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
    Random r = new Random(5);
    List<float[]> inputs = List.of(disc(r).input(), disc(r).input());
    float[][] before;
    try (ImageBackbone b = ImageBackbone.create()) {
      before = b.features(inputs);
      ImageBackbone.Manifest m = new ImageBackbone.Manifest();
      m.version = "test";
      b.save(dir, m);
    }
    assertEquals(2, before.length);
    assertEquals(ImageBackbone.TOKENS * ImageBackbone.CHANNELS, before[0].length);
    try (ImageBackbone loaded = ImageBackbone.load(dir)) {
      float[][] after = loaded.features(inputs);
      assertArrayEquals(before[0], after[0], 1e-5f);
      assertArrayEquals(before[1], after[1], 1e-5f);
    }
  }

  @Test
  void missingOrCorruptBackboneIsAClearError(@TempDir Path dir) throws Exception {
    MegaLoadException missing =
        assertThrows(MegaLoadException.class, () -> ImageBackbone.load(dir.resolve("none")));
    assertTrue(missing.getMessage().contains("no usable image backbone"), missing.getMessage());
    try (ImageBackbone b = ImageBackbone.create()) {
      ImageBackbone.Manifest m = new ImageBackbone.Manifest();
      m.version = "test";
      b.save(dir, m);
    }
    Files.write(dir.resolve(ImageBackbone.NAME + ".params"), new byte[] {1, 2, 3});
    MegaLoadException corrupt =
        assertThrows(MegaLoadException.class, () -> ImageBackbone.load(dir));
    assertTrue(corrupt.getMessage().contains("backbone.params"), corrupt.getMessage());
  }

  @Test
  void inputRejectsCropsOfAnotherSize() {
    try (Mat small = new Mat(64, 64, opencv_core.CV_8UC3)) {
      assertThrows(IllegalArgumentException.class, () -> ImageBackbone.input(small));
    }
    assertThrows(IllegalArgumentException.class, () -> ImageBackbone.input(new byte[10]));
  }
}
