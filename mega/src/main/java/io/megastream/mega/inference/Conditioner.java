package io.megastream.mega.inference;

import io.megastream.mega.image.ImageBackbone;
import io.megastream.mega.model.MegaLoadException;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.pose.PoseLandmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What turns person crops into MEGA's conditioning features: BlazePose's landmarks for {@code pose}
 * models, the pre-trained CNN's feature grid for {@code image} models. Not thread-safe.
 */
public interface Conditioner extends AutoCloseable {

  /**
   * Features of a batch of crops.
   *
   * @param features per crop, the model's C·F conditioning features
   * @param landmarks per crop, BlazePose's output ({@code pose}), or null entries
   * @param millis per crop, time spent on it (batched work shared evenly)
   */
  record Output(float[][] features, List<PoseLandmarks> landmarks, double[] millis) {}

  /** Which models this conditioner feeds. */
  MegaModel.Conditioning kind();

  /** Side of the square crops it takes, pixels. */
  int cropSize();

  /** Conditions a batch of {@link #cropSize()}² BGR crops. */
  Output condition(List<Mat> crops);

  @Override
  void close();

  /**
   * The conditioner a saved model needs: BlazePose ({@code variant}) for a {@code pose} model, the
   * backbone stored in {@code modelDir/backbone} for an {@code image} model.
   *
   * @throws MegaLoadException if the backbone is missing or corrupt
   * @throws IllegalArgumentException for an unconditioned model
   */
  static Conditioner forModel(MegaModel mega, Path modelDir, BlazePose.Variant variant)
      throws MegaLoadException {
    return forModel(mega, modelDir, variant, BlazePose.Engine.TFLITE);
  }

  /** As {@link #forModel(MegaModel, Path, BlazePose.Variant)}, BlazePose on {@code engine}. */
  static Conditioner forModel(
      MegaModel mega, Path modelDir, BlazePose.Variant variant, BlazePose.Engine engine)
      throws MegaLoadException {
    return switch (mega.conditioning()) {
      case POSE -> pose(BlazePose.load(variant, engine, BlazePose.DEFAULT_THREADS));
      case IMAGE -> image(ImageBackbone.load(modelDir.resolve(ImageBackbone.NAME)));
      case NONE ->
          throw new IllegalArgumentException(
              "an unconditioned (stage-1) model cannot recover people from images");
    };
  }

  /** BlazePose landmarks (owns {@code pose} from now on). */
  static Conditioner pose(BlazePose pose) {
    return new Conditioner() {
      @Override
      public MegaModel.Conditioning kind() {
        return MegaModel.Conditioning.POSE;
      }

      @Override
      public int cropSize() {
        return BlazePose.INPUT;
      }

      @Override
      public Output condition(List<Mat> crops) {
        float[][] f = new float[crops.size()][];
        List<PoseLandmarks> lm = new ArrayList<>();
        double[] ms = new double[crops.size()];
        for (int i = 0; i < crops.size(); i++) {
          long t0 = System.nanoTime();
          PoseLandmarks l = pose.estimate(crops.get(i));
          ms[i] = (System.nanoTime() - t0) / 1e6;
          lm.add(l);
          f[i] = PoseConditioning.features(l);
        }
        return new Output(f, lm, ms);
      }

      @Override
      public void close() {
        pose.close();
      }
    };
  }

  /** The CNN feature grid (owns {@code backbone} from now on); one batched pass per call. */
  static Conditioner image(ImageBackbone backbone) {
    return new Conditioner() {
      @Override
      public MegaModel.Conditioning kind() {
        return MegaModel.Conditioning.IMAGE;
      }

      @Override
      public int cropSize() {
        return ImageBackbone.INPUT;
      }

      @Override
      public Output condition(List<Mat> crops) {
        long t0 = System.nanoTime();
        List<float[]> inputs = new ArrayList<>();
        for (Mat c : crops) {
          inputs.add(ImageBackbone.input(c));
        }
        float[][] f = backbone.features(inputs);
        double[] ms = new double[crops.size()];
        java.util.Arrays.fill(ms, (System.nanoTime() - t0) / 1e6 / Math.max(1, crops.size()));
        List<PoseLandmarks> none = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
          none.add(null);
        }
        return new Output(f, none, ms);
      }

      @Override
      public void close() {
        backbone.close();
      }
    };
  }
}
