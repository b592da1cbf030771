package io.megastream.mega.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.inference.Conditioner;
import io.megastream.mega.model.MegaConfig;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MegaBenchmarkTest {

  @Test
  void shouldScoreTheModelNextToBlazePoseAloneAndTheAnalyticFitOnTheSameCases(@TempDir Path dir)
      throws Exception {
    // Given: an untrained tiny pose model, the bundled tokenizer, a few cases of every set
    SkinnedBodyModel body = ProceduralBody.build();
    try (TokenizerModel tokenizer =
            TokenizerModel.load(Path.of("..", "models", "tokenizer"), body);
        MegaModel mega =
            MegaModel.create(
                MegaConfig.tiny(PoseConditioning.TOKENS, PoseConditioning.FEATURES),
                MegaModel.Conditioning.POSE,
                true);
        Conditioner conditioner = Conditioner.pose(BlazePose.load(BlazePose.Variant.LITE))) {
      MegaBenchmark bench =
          new MegaBenchmark(
              body, tokenizer, new MegaBenchmark.Options(8, 4, 0, List.of(1, 2), 2, 1.0, 0.9, 31));
      List<MegaBenchmark.Entry> entries =
          List.of(new MegaBenchmark.Entry("tiny", mega, conditioner));

      // When
      MegaBenchmark.Result r = bench.run(entries, null);
      String report = bench.report(r, entries, dir);

      // Then: three sets, each with both baselines beside the model, on the same cases
      for (String set :
          List.of(
              "synthetic landmarks", "rendered, occlusion < 10 %", "rendered, occlusion 25-70 %")) {
        List<MegaBenchmark.Row> rows = r.rows().stream().filter(x -> x.set().equals(set)).toList();
        MegaBenchmark.Row alone = row(rows, "BlazePose alone (world landmarks)");
        MegaBenchmark.Row fit = row(rows, "analytic fit to BlazePose");
        MegaBenchmark.Row model = row(rows, "tiny");
        assertThat(alone.cases()).isEqualTo(model.cases()).isEqualTo(fit.cases()).isPositive();
        assertThat(alone.pve()).isNaN(); // landmarks only: no mesh
        assertThat(alone.landmarkMpjpe()).isPositive().isFinite();
        assertThat(fit.paMpjpe()).isPositive().isFinite();
        assertThat(fit.rotationDeg()).isBetween(0.0, 180.0);
        assertThat(model.landmarkPaMpjpe()).isPositive().isFinite();
      }
      assertThat(report).contains("analytic fit, tokenized").contains("12-landmark PA-MPJPE");
      assertThat(Files.exists(dir)).isTrue();
    }
  }

  private static MegaBenchmark.Row row(List<MegaBenchmark.Row> rows, String name) {
    return rows.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }
}
