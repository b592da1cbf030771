package io.megastream.mega.eval;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Meshes;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.image.ImageBackbone;
import io.megastream.mega.inference.Conditioner;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.model.Uncertainty;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.LandmarkFit;
import io.megastream.mega.pose.LandmarkNoise;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.render.RenderedPeople;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.pose.PersonCrop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The paper's tables on MegaStream's own synthetic benchmark: deterministic errors of several
 * models next to two baselines (the mean mesh and the tokenizer's own reconstruction, the ceiling),
 * min-of-Q and mean-of-Q over Q, the occluded subset, how uncertainty tracks the error (per person
 * and per vertex), and the diversity (APD) of random generations. Three case sets: synthetic
 * landmarks with BlazePose's measured noise (pose models only), and rendered people through the
 * model's real conditioner (BlazePose, or the CNN), unoccluded and occluded. Millimetres.
 */
public final class MegaBenchmark {

  /**
   * What to run.
   *
   * @param syntheticCases held-out motion cases with synthesised landmarks
   * @param renderedCases rendered people per subset (unoccluded, occluded)
   * @param sweepCases cases per set in the Q sweep (the costly part)
   * @param qs sample counts of the sweep, ascending; the largest is drawn once per case
   * @param steps T of the stochastic mode
   * @param temperature A of the stochastic mode
   * @param threshold the adaptive mode's threshold on 1 − confidence, for the share it samples
   * @param seed held-out seed (motion, cameras, scenes, sampling)
   */
  public record Options(
      int syntheticCases,
      int renderedCases,
      int sweepCases,
      List<Integer> qs,
      int steps,
      double temperature,
      double threshold,
      long seed) {
    /**
     * @throws IllegalArgumentException if a case set would be empty (every table needs cases)
     */
    public Options {
      if (syntheticCases < 1 || renderedCases < 1) {
        throw new IllegalArgumentException(
            "--cases and --rendered must be at least 1 (got "
                + syntheticCases
                + " and "
                + renderedCases
                + "); 128 each is the least that tells models apart");
      }
    }
  }

  /** A model under test and the conditioner it reads rendered crops with. */
  public record Entry(String name, MegaModel model, Conditioner conditioner) {}

  /** One row of the deterministic table. */
  public record Row(
      String set,
      String name,
      int cases,
      double pve,
      double mpjpe,
      double paMpjpe,
      double canonicalPve,
      double rotationDeg,
      double rotationMedianDeg,
      double msPerPerson,
      double landmarkMpjpe,
      double landmarkPaMpjpe) {}

  /** The Q sweep of one case set. */
  public record Sweep(
      String set,
      int cases,
      int[] qs,
      double deterministicPve,
      double[] minOfQ,
      double[] meanOfQ,
      double[] distanceToDeterministic,
      double[] sd,
      double vertexCorrelation,
      double meanCaseVertexCorrelation,
      double[] caseUncertainty,
      double[] caseError,
      double corrConfidenceUncertainty,
      double corrConfidenceError,
      double corrEntropyError,
      double corrUncertaintyError) {}

  /** Everything measured. */
  public record Result(
      List<Row> rows,
      List<Sweep> sweeps,
      Map<String, MegaEvaluation.Report> mainReports,
      double apdCm,
      int generated) {}

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(MegaBenchmark.class);

  private static final String SYNTHETIC = "synthetic landmarks";
  private static final String CLEAR = "rendered, occlusion < 10 %";
  private static final String OCCLUDED = "rendered, occlusion 25-70 %";

  private final SkinnedBodyModel body;
  private final TokenizerModel tokenizer;
  private final MeshMetrics metrics;
  private final MeshBatches meshes;
  private final Options options;

  public MegaBenchmark(SkinnedBodyModel body, TokenizerModel tokenizer, Options options) {
    this.body = body;
    this.tokenizer = tokenizer;
    this.metrics = new MeshMetrics(body);
    this.meshes = new MeshBatches(body, tokenizer.config().scale());
    this.options = options;
  }

  /**
   * Runs the benchmark. The first entry is the main model: the Q sweep and the uncertainty analysis
   * run on it.
   *
   * @param pretrained a stage-1 model for the random-generation APD, or null
   */
  public Result run(List<Entry> entries, MegaModel pretrained) {
    List<BodyParams> synthetic = heldOutMotion();
    List<Rendered> clear = new ArrayList<>();
    List<Rendered> occluded = new ArrayList<>();
    LOG.info("eval mega: rendering {} people per subset", options.renderedCases());
    render(clear, occluded);
    LOG.info("eval mega: rendered {} + {} people; baselines", clear.size(), occluded.size());
    try {
      float[] meanMesh = meanMesh();
      List<Row> rows = new ArrayList<>();
      List<Sweep> sweeps = new ArrayList<>();
      Map<String, MegaEvaluation.Report> main = new LinkedHashMap<>();
      Map<String, List<MegaEvaluation.Case>> truthOnly = new LinkedHashMap<>();
      truthOnly.put(SYNTHETIC, syntheticCases(synthetic, null));
      truthOnly.put(CLEAR, renderedCases(clear, null));
      truthOnly.put(OCCLUDED, renderedCases(occluded, null));
      truthOnly.forEach(
          (set, cases) -> {
            rows.add(baseline(set, "mean mesh (true rotation)", cases, c -> meanMesh));
            rows.add(baseline(set, "tokenizer ceiling (true rotation)", cases, this::reconstruct));
          });
      for (int e = 0; e < entries.size(); e++) {
        Entry entry = entries.get(e);
        Map<String, List<MegaEvaluation.Case>> sets = new LinkedHashMap<>();
        if (entry.model().conditioning() == MegaModel.Conditioning.POSE) {
          sets.put(SYNTHETIC, syntheticCases(synthetic, entry));
        }
        sets.put(CLEAR, renderedCases(clear, entry));
        sets.put(OCCLUDED, renderedCases(occluded, entry));
        for (var s : sets.entrySet()) {
          LOG.info("eval mega: {} on {} ({} cases)", entry.name(), s.getKey(), s.getValue().size());
          if (e == firstPose(entries)) {
            rows.addAll(landmarkBaselines(s.getKey(), s.getValue()));
          }
          MegaEvaluation.Report r =
              MegaEvaluation.run(entry.model(), tokenizer, s.getValue(), null, options.seed());
          rows.add(
              new Row(
                  s.getKey(),
                  entry.name(),
                  r.cases(),
                  r.pveMm(),
                  r.mpjpeMm(),
                  r.paMpjpeMm(),
                  r.canonicalPveMm(),
                  r.rotationErrorDeg(),
                  r.rotationMedianDeg(),
                  r.deterministicMsPerCase(),
                  r.landmarkMpjpeMm(),
                  r.landmarkPaMpjpeMm()));
          if (e == 0) {
            main.put(s.getKey(), r);
            List<MegaEvaluation.Case> part =
                s.getValue().subList(0, Math.min(options.sweepCases(), s.getValue().size()));
            if (!part.isEmpty()) {
              sweeps.add(sweep(s.getKey(), entry.model(), part));
            }
          }
        }
      }
      double apd = Double.NaN;
      int generated = 0;
      if (pretrained != null) {
        generated = 32;
        int[][] tokens =
            new MegaGenerator(pretrained)
                .sample(null, MegaGenerator.Sampling.unconditional(generated), options.seed());
        apd = Meshes.averagePairwiseDistance(tokenizer.decode(tokens)) * 100;
      }
      return new Result(rows, sweeps, main, apd, generated);
    } finally {
      for (Rendered r : clear) {
        r.close();
      }
      for (Rendered r : occluded) {
        r.close();
      }
    }
  }

  /** A rendered person: truth and its crops for both conditioners. */
  private record Rendered(
      BodyParams truth, float[] rotation, double occlusion, PersonCrop pose, PersonCrop image)
      implements AutoCloseable {
    @Override
    public void close() {
      pose.close();
      image.close();
    }
  }

  private List<BodyParams> heldOutMotion() {
    MotionGenerator gen = MotionGenerator.builder().setSeed(options.seed()).optSubjects(40).build();
    List<BodyParams> bodies = new ArrayList<>();
    for (int i = 0; bodies.size() < options.syntheticCases(); i++) {
      MotionClip c = gen.clip(i);
      for (int f = 0; f < c.frameCount() && bodies.size() < options.syntheticCases(); f += 17) {
        bodies.add(c.frame(f));
      }
    }
    return bodies;
  }

  /** The mean canonical mesh of motion the benchmark does not test on (another seed). */
  private float[] meanMesh() {
    return meanCanonicalMesh(body, options.seed() + 1_000);
  }

  /**
   * The mean-mesh baseline: the mean canonical mesh (V × 3, metres) of the synthetic motion of
   * {@code seed} (40 subjects, every 11th frame). Give it a seed the scored people do not come
   * from.
   */
  public static float[] meanCanonicalMesh(SkinnedBodyModel body, long seed) {
    MotionGenerator gen = MotionGenerator.builder().setSeed(seed).optSubjects(40).build();
    float[] sum = null;
    int n = 0;
    for (int i = 0; i < 40; i++) {
      MotionClip c = gen.clip(i);
      for (int f = 0; f < c.frameCount(); f += 11) {
        float[] m = body.forward(c.frame(f).canonical()).vertices();
        if (sum == null) {
          sum = new float[m.length];
        }
        for (int k = 0; k < m.length; k++) {
          sum[k] += m[k];
        }
        n++;
      }
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] /= n;
    }
    return sum;
  }

  private void render(List<Rendered> clear, List<Rendered> occluded) {
    int want = options.renderedCases();
    RenderedPeople.forEach(
        body,
        2,
        options.seed() + 500,
        100,
        20,
        want * 8,
        p -> {
          double occ = p.truth().occlusion();
          List<Rendered> into = occ < 0.1 ? clear : occ >= 0.25 && occ <= 0.7 ? occluded : null;
          if (into != null && into.size() < want) {
            float[] b = p.truth().box();
            into.add(
                new Rendered(
                    p.params(),
                    Procrustes.bodyToCamera(
                        body.forward(p.params().canonical()).joints(), p.truth().joints3d()),
                    occ,
                    PersonCrop.of(
                        p.frame(), b[0], b[1], b[2], b[3], PersonCrop.PADDING, BlazePose.INPUT),
                    PersonCrop.of(
                        p.frame(),
                        b[0],
                        b[1],
                        b[2],
                        b[3],
                        PersonCrop.PADDING,
                        ImageBackbone.INPUT)));
          }
          return clear.size() < want || occluded.size() < want;
        });
  }

  private List<MegaEvaluation.Case> syntheticCases(List<BodyParams> bodies, Entry entry) {
    PoseConditioning conditioning = new PoseConditioning(body, LandmarkNoise.MEASURED);
    Random random = new Random(options.seed());
    List<MegaEvaluation.Case> out = new ArrayList<>();
    for (BodyParams b : bodies) {
      PoseConditioning.Sample s = conditioning.synthesize(b, random);
      out.add(new MegaEvaluation.Case(entry == null ? null : s.features(), b, s.rotation()));
    }
    return out;
  }

  private List<MegaEvaluation.Case> renderedCases(List<Rendered> people, Entry entry) {
    List<MegaEvaluation.Case> out = new ArrayList<>();
    for (int start = 0; start < people.size(); start += 16) {
      List<Rendered> part = people.subList(start, Math.min(people.size(), start + 16));
      float[][] features = null;
      if (entry != null) {
        boolean image = entry.conditioner().kind() == MegaModel.Conditioning.IMAGE;
        List<Mat> crops = new ArrayList<>();
        for (Rendered r : part) {
          crops.add(image ? r.image().image() : r.pose().image());
        }
        features = entry.conditioner().condition(crops).features();
      }
      for (int i = 0; i < part.size(); i++) {
        Rendered r = part.get(i);
        out.add(
            new MegaEvaluation.Case(
                features == null ? null : features[i], r.truth(), r.rotation()));
      }
    }
    return out;
  }

  private float[] reconstruct(MegaEvaluation.Case c) {
    float[] truth = meshes.canonicalMesh(c.truth());
    return tokenizer.decode(tokenizer.encode(List.of(truth))).get(0);
  }

  /** A baseline that predicts a canonical mesh per case and takes the true rotation. */
  private Row baseline(
      String set,
      String name,
      List<MegaEvaluation.Case> cases,
      Function<MegaEvaluation.Case, float[]> predict) {
    List<Guess> guesses =
        cases.stream()
            .map(c -> new Guess(predict.apply(c), Rotations.toDouble(c.rotation()), null))
            .toList();
    return score(set, name, cases, guesses, Double.NaN);
  }

  /**
   * A prediction to score: a canonical mesh and its body-to-camera rotation, or (mesh null) 33
   * landmarks in the camera frame, any origin.
   */
  private record Guess(float[] canonical, double[] rotation, float[] landmarks) {}

  private static int firstPose(List<Entry> entries) {
    for (int e = 0; e < entries.size(); e++) {
      if (entries.get(e).model().conditioning() == MegaModel.Conditioning.POSE) {
        return e;
      }
    }
    return -1;
  }

  /**
   * The baselines that read the same BlazePose landmarks as a pose model: its world landmarks
   * alone, and the analytic fit to them, raw and through the tokenizer (each fit computed once).
   */
  private List<Row> landmarkBaselines(String set, List<MegaEvaluation.Case> cases) {
    List<Guess> alone =
        cases.stream()
            .map(c -> new Guess(null, null, PoseConditioning.world(c.features())))
            .toList();
    LandmarkFit fit = new LandmarkFit(body);
    long t0 = System.nanoTime();
    List<Guess> fitted =
        cases.stream()
            .map(c -> fit.fit(PoseConditioning.world(c.features())))
            .map(f -> new Guess(meshes.canonicalMesh(f.canonical()), f.rotation(), null))
            .toList();
    double fitMs = (System.nanoTime() - t0) / 1e6 / cases.size();
    long t1 = System.nanoTime();
    List<Guess> tokenized =
        fitted.stream()
            .map(
                g ->
                    new Guess(
                        tokenizer.decode(tokenizer.encode(List.of(g.canonical()))).get(0),
                        g.rotation(),
                        null))
            .toList();
    double tokenMs = fitMs + (System.nanoTime() - t1) / 1e6 / cases.size();
    return List.of(
        score(set, "BlazePose alone (world landmarks)", cases, alone, 0),
        score(set, "analytic fit to BlazePose", cases, fitted, fitMs),
        score(set, "analytic fit, tokenized", cases, tokenized, tokenMs));
  }

  /**
   * Scores guesses the way the model rows are scored (meshes in the camera frame by the guessed
   * rotation), plus the shared-landmark errors; landmark-only guesses get the latter alone.
   */
  private Row score(
      String set, String name, List<MegaEvaluation.Case> cases, List<Guess> guesses, double ms) {
    double pve = 0;
    double mpjpe = 0;
    double pa = 0;
    double canonical = 0;
    double rotation = 0;
    double[] rotations = new double[cases.size()];
    double lmMpjpe = 0;
    double lmPa = 0;
    boolean hasMesh = guesses.get(0).canonical() != null;
    for (int k = 0; k < cases.size(); k++) {
      MegaEvaluation.Case c = cases.get(k);
      Guess g = guesses.get(k);
      float[] truthCanonical = meshes.canonicalMesh(c.truth());
      double[] r = Rotations.toDouble(c.rotation());
      float[] truth = Rotations.rotate(truthCanonical, r);
      float[] seen = g.landmarks();
      if (hasMesh) {
        float[] posed = Rotations.rotate(g.canonical(), g.rotation());
        pve += metrics.pve(posed, truth);
        mpjpe += metrics.mpjpe(posed, truth);
        pa += metrics.paMpjpe(g.canonical(), truthCanonical);
        canonical += metrics.pve(g.canonical(), truthCanonical);
        rotations[k] = Rotations.angleDeg(g.rotation(), r);
        rotation += rotations[k];
        seen = metrics.landmarks(posed);
      }
      double[] lm = metrics.landmarkErrors(seen, metrics.landmarks(truth));
      lmMpjpe += lm[0];
      lmPa += lm[1];
    }
    int n = cases.size();
    double nan = Double.NaN;
    return hasMesh
        ? new Row(
            set,
            name,
            n,
            pve / n,
            mpjpe / n,
            pa / n,
            canonical / n,
            rotation / n,
            MegaEvaluation.median(rotations),
            ms,
            lmMpjpe / n,
            lmPa / n)
        : new Row(set, name, n, nan, nan, nan, nan, nan, nan, ms, lmMpjpe / n, lmPa / n);
  }

  /** Min-of-Q, mean-of-Q, distance to the deterministic mesh and SD for every Q of the sweep. */
  private Sweep sweep(String set, MegaModel model, List<MegaEvaluation.Case> cases) {
    int[] qs = options.qs().stream().mapToInt(Integer::intValue).toArray();
    int qMax = qs[qs.length - 1];
    MegaGenerator generator = new MegaGenerator(model);
    MegaGenerator.Sampling sampling =
        MegaGenerator.Sampling.conditional(qMax, options.steps(), options.temperature());
    int n = cases.size();
    double[] minQ = new double[qs.length];
    double[] meanQ = new double[qs.length];
    double[] dist = new double[qs.length];
    double[] sd = new double[qs.length];
    double[] caseUnc = new double[n];
    double[] caseErr = new double[n];
    double[] lowConf = new double[n];
    double[] entropy = new double[n];
    List<Double> vStd = new ArrayList<>();
    List<Double> vErr = new ArrayList<>();
    double caseCorr = 0;
    double det = 0;
    for (int k = 0; k < n; k++) {
      MegaEvaluation.Case c = cases.get(k);
      MegaGenerator.Prediction p = generator.deterministic(new float[][] {c.features()})[0];
      double[] rotation = Rotations.from6d(MegaEvaluation.sixD(p.rotCam()));
      float[] truth =
          Rotations.rotate(meshes.canonicalMesh(c.truth()), Rotations.toDouble(c.rotation()));
      float[] detMesh =
          Rotations.rotate(tokenizer.decode(new int[][] {p.tokens()}).get(0), rotation);
      caseErr[k] = metrics.pve(detMesh, truth);
      det += caseErr[k];
      lowConf[k] = 1 - p.confidence();
      entropy[k] = p.entropy();
      List<float[]> samples = new ArrayList<>();
      for (float[] m :
          tokenizer.decode(generator.sample(c.features(), sampling, options.seed() + k))) {
        samples.add(Rotations.rotate(m, rotation));
      }
      for (int qi = 0; qi < qs.length; qi++) {
        List<float[]> first = samples.subList(0, qs[qi]);
        double best = Double.MAX_VALUE;
        for (float[] s : first) {
          best = Math.min(best, metrics.pve(s, truth));
        }
        float[] mean = mean(first);
        minQ[qi] += best / n;
        meanQ[qi] += metrics.pve(mean, truth) / n;
        dist[qi] += metrics.pve(mean, detMesh) / n;
        sd[qi] += (first.size() < 2 ? 0 : Uncertainty.of(first).meanStdMm()) / n;
      }
      Uncertainty u = Uncertainty.of(samples);
      caseUnc[k] = u.meanStdMm();
      float[] err = metrics.perVertexErrorMm(detMesh, truth);
      double[] a = new double[err.length];
      double[] b = new double[err.length];
      for (int v = 0; v < err.length; v++) {
        a[v] = u.perVertexStdMm()[v];
        b[v] = err[v];
        if (v % 4 == 0) { // every 4th vertex keeps the pooled list small
          vStd.add(a[v]);
          vErr.add(b[v]);
        }
      }
      caseCorr += MegaEvaluation.pearson(a, b) / n;
    }
    return new Sweep(
        set,
        n,
        qs,
        det / n,
        minQ,
        meanQ,
        dist,
        sd,
        MegaEvaluation.pearson(toArray(vStd), toArray(vErr)),
        caseCorr,
        caseUnc,
        caseErr,
        MegaEvaluation.pearson(lowConf, caseUnc),
        MegaEvaluation.pearson(lowConf, caseErr),
        MegaEvaluation.pearson(entropy, caseErr),
        MegaEvaluation.pearson(caseUnc, caseErr));
  }

  /** Writes the report (markdown) and its plots into {@code dir}; returns the markdown. */
  public String report(Result r, List<Entry> entries, Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# MEGA on MegaStream's synthetic benchmark\n\n")
        .append("All numbers are measured on MegaStream's own synthetic benchmark (procedural body")
        .append(
            " model, synthetic motion, rendered people), not on 3DPW or Human3.6M. Millimetres;")
        .append(
            " meshes in the camera frame, pelvis-aligned (PVE, MPJPE on LSP-14), PA-MPJPE after")
        .append(" Procrustes, canonical PVE without the global rotation. Held-out seed ")
        .append(options.seed())
        .append(". Case sets: **")
        .append(SYNTHETIC)
        .append("** (held-out motion, random cameras, landmarks synthesised with BlazePose's")
        .append(" measured noise; pose models only) and **rendered** people through the model's")
        .append(
            " real conditioner (BlazePose or the CNN) on crops at their true boxes, split by how")
        .append(
            " much of the person is hidden. The mean-mesh and tokenizer baselines take the true")
        .append(" rotation, so they are generous. Two baselines read the same BlazePose landmarks")
        .append(" as the pose model: **BlazePose alone** (its world landmarks, scored only on the")
        .append(" 12 limb landmarks it shares with the body model) and the **analytic fit** of the")
        .append(" body model to them (torso Kabsch rotation, bone swings, least-squares shape; no")
        .append(" learning), raw and through the tokenizer. The 12-landmark columns score every")
        .append(" row on those landmarks, read off its mesh, mid-hip aligned (MPJPE) and after")
        .append(" Procrustes (PA-MPJPE).\n\n");
    sb.append("## Deterministic mode (Table 1 analogue)\n\n")
        .append(
            "| cases | model | n | PVE | MPJPE | PA-MPJPE | canonical PVE | rotation ° mean / median | ms/person |"
                + " 12-landmark MPJPE | 12-landmark PA-MPJPE |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : r.rows().stream().sorted((a, b) -> order(a.set()) - order(b.set())).toList()) {
      sb.append(
          String.format(
              "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %.1f | %.1f |%n",
              row.set(),
              row.name(),
              row.cases(),
              mm(row.pve()),
              mm(row.mpjpe()),
              mm(row.paMpjpe()),
              mm(row.canonicalPve()),
              row.name().contains("true rotation") || Double.isNaN(row.rotationDeg())
                  ? "—"
                  : mm(row.rotationDeg()) + " / " + mm(row.rotationMedianDeg()),
              mm(row.msPerPerson()),
              row.landmarkMpjpe(),
              row.landmarkPaMpjpe()));
    }
    String mainName = entries.get(0).name();
    if (r.sweeps().isEmpty()) {
      appendAdaptive(sb, r);
      appendApd(sb, r);
      return sb.toString();
    }
    sb.append("\n## Stochastic mode: min-of-Q and mean-of-Q (Tables 2 and 4 analogue), ")
        .append(mainName)
        .append("\n\nT = ")
        .append(options.steps())
        .append(", A = ")
        .append(options.temperature())
        .append("; the Q samples of a case are the first Q of one draw of ")
        .append(options.qs().get(options.qs().size() - 1))
        .append(", so the columns are nested. Relative = change of min-of-Q against the")
        .append(" deterministic PVE. Mean-of-Q is the PVE of the mean of the Q meshes; distance is")
        .append(" from that mean to the deterministic mesh; SD is the mean per-vertex standard")
        .append(" deviation of the Q meshes.\n\n");
    for (Sweep s : r.sweeps()) {
      sb.append("**")
          .append(s.set())
          .append("** (")
          .append(s.cases())
          .append(" cases, deterministic PVE ")
          .append(String.format("%.1f", s.deterministicPve()))
          .append(
              ")\n\n| Q | min-of-Q PVE | relative | mean-of-Q PVE | distance to deterministic | SD |\n")
          .append("|---|---|---|---|---|---|\n");
      for (int i = 0; i < s.qs().length; i++) {
        sb.append(
            String.format(
                "| %d | %.1f | %+.1f %% | %.1f | %.1f | %.1f |%n",
                s.qs()[i],
                s.minOfQ()[i],
                100 * (s.minOfQ()[i] / s.deterministicPve() - 1),
                s.meanOfQ()[i],
                s.distanceToDeterministic()[i],
                s.sd()[i]));
      }
      String slug = slug(s.set());
      double[] x = new double[s.qs().length];
      double[] detLine = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = s.qs()[i];
        detLine[i] = s.deterministicPve();
      }
      Plots.lines(
          dir.resolve("qsweep-" + slug + ".png"),
          "MEGA " + mainName + ", " + s.set() + ": error and spread over Q",
          "Q (samples, log scale)",
          "mm",
          x,
          Plots.series(
              "min-of-Q PVE",
              s.minOfQ(),
              "mean-of-Q PVE",
              s.meanOfQ(),
              "deterministic PVE",
              detLine,
              "SD of the Q meshes",
              s.sd()),
          true);
      Plots.scatter(
          dir.resolve("uncertainty-" + slug + ".png"),
          s.set(),
          "sample uncertainty (mean per-vertex SD, mm)",
          "deterministic PVE, mm",
          s.caseUncertainty(),
          s.caseError());
      sb.append("\n![Q sweep](qsweep-")
          .append(slug)
          .append(".png) ![uncertainty vs error](uncertainty-")
          .append(slug)
          .append(".png)\n\n");
    }
    sb.append("## Uncertainty against error, ")
        .append(mainName)
        .append("\n\nPearson r. Per person: the deterministic pass's cheap signals (1 − mean")
        .append(" max-probability, mean entropy) and the sample uncertainty (mean per-vertex SD at")
        .append(
            " the largest Q) against the deterministic PVE. Per vertex: each vertex's SD against")
        .append(
            " its own error, pooled over people, and the mean of the per-person correlations.\n\n")
        .append(
            "| cases | 1−confidence vs uncertainty | 1−confidence vs error | entropy vs error |")
        .append(" uncertainty vs error | per vertex, pooled | per vertex, mean per person |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Sweep s : r.sweeps()) {
      sb.append(
          String.format(
              "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
              s.set(),
              s.corrConfidenceUncertainty(),
              s.corrConfidenceError(),
              s.corrEntropyError(),
              s.corrUncertaintyError(),
              s.vertexCorrelation(),
              s.meanCaseVertexCorrelation()));
    }
    appendAdaptive(sb, r);
    appendApd(sb, r);
    return sb.toString();
  }

  private void appendAdaptive(StringBuilder sb, Result r) {
    sb.append("\nThe adaptive mode's signal (1 − confidence) over all cases, and the share above")
        .append(" the threshold ")
        .append(options.threshold())
        .append(":\n\n| cases | p50 | p80 | p90 | share sampled |\n|---|---|---|---|---|\n");
    r.mainReports()
        .forEach(
            (set, rep) ->
                sb.append(
                    String.format(
                        "| %s | %.3f | %.3f | %.3f | %.2f |%n",
                        set,
                        rep.lowConfidenceQuantile(0.5),
                        rep.lowConfidenceQuantile(0.8),
                        rep.lowConfidenceQuantile(0.9),
                        rep.shareAbove(options.threshold()))));
  }

  private static void appendApd(StringBuilder sb, Result r) {
    if (r.generated() > 0) {
      sb.append(
          String.format(
              "%n## Random generation%n%nAPD of %d unconditional samples of the pre-trained"
                  + " (stage 1) model: %.1f cm.%n",
              r.generated(), r.apdCm()));
    }
  }

  private static String mm(double v) {
    return Double.isNaN(v) ? "—" : String.format("%.1f", v);
  }

  private static int order(String set) {
    return set.equals(SYNTHETIC) ? 0 : set.equals(CLEAR) ? 1 : 2;
  }

  private static String slug(String set) {
    return set.equals(SYNTHETIC) ? "synthetic" : set.equals(CLEAR) ? "rendered" : "occluded";
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static float[] mean(List<float[]> meshes) {
    float[] m = new float[meshes.get(0).length];
    for (float[] s : meshes) {
      for (int i = 0; i < m.length; i++) {
        m[i] += s[i] / meshes.size();
      }
    }
    return m;
  }
}
