package io.megastream.train.image;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits crops by camera: every n-th camera id (sorted) is held out, so held-out crops come from
 * scenes, people and viewpoints training never saw.
 */
public record CameraSplit(
    List<LabelledCrops.Crop> train, List<LabelledCrops.Crop> heldOut, List<String> heldOutCameras) {

  /**
   * @throws IllegalStateException if either side would be empty (too few cameras)
   */
  public static CameraSplit of(List<LabelledCrops.Crop> crops, int every) {
    List<String> cameras =
        new ArrayList<>(new TreeSet<>(crops.stream().map(LabelledCrops.Crop::camera).toList()));
    List<String> held = new ArrayList<>();
    for (int i = every - 1; i < cameras.size(); i += every) {
      held.add(cameras.get(i));
    }
    if (held.isEmpty() && cameras.size() >= 2) {
      held.add(cameras.get(cameras.size() - 1));
    }
    List<LabelledCrops.Crop> train = new ArrayList<>();
    List<LabelledCrops.Crop> heldOut = new ArrayList<>();
    for (LabelledCrops.Crop c : crops) {
      (held.contains(c.camera()) ? heldOut : train).add(c);
    }
    if (train.isEmpty() || heldOut.isEmpty()) {
      throw new IllegalStateException(
          "need crops from at least two cameras (one is held out), found cameras " + cameras);
    }
    return new CameraSplit(train, heldOut, held);
  }
}
