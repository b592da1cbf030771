package io.megastream.recover;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.pose.CropWindow;
import io.megastream.pose.Images;
import io.megastream.proto.Box;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.PersonBox;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Roi;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Timings;
import io.megastream.proto.TokenSequence;
import io.megastream.proto.Uncertainty;
import io.megastream.proto.deadletter.DeadLetters;
import io.megastream.proto.serde.RecordRejectedException;
import io.megastream.recover.model.LoadedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of polled frame records into result messages, without touching Kafka: decodes and
 * checks each frame, runs every valid person of the batch through one {@link PersonRecoverer} call
 * (one deterministic pass; sampling where the model is unsure), and accounts for every frame: one
 * {@code MeshRecovery} per person ({@code OK}, {@code SKIPPED_STALE} or {@code REJECTED}), one
 * {@code NO_PERSONS} record for an empty frame, a {@code StochasticSamples} per sampled person, and
 * a {@code DeadLetter} for every record that is not a usable frame. Not thread-safe.
 */
final class BatchProcessor {

  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

  /** A record as polled, with when it was polled and how many persons its frame claims. */
  record Polled(ConsumerRecord<byte[], byte[]> record, long polledNanos, int persons) {

    /** What it weighs in a batch: the persons that will run (at least 1, at most the cap). */
    int cost(int maxPersonsPerFrame) {
      return Math.max(1, Math.min(persons, maxPersonsPerFrame));
    }

    static Polled of(ConsumerRecord<byte[], byte[]> record) {
      int persons;
      try {
        persons =
            io.megastream.proto.Topics.FRAMES
                .decodeValue(record.headers(), record.value())
                .getPersonsCount();
      } catch (RuntimeException e) {
        persons = 0; // not a frame: it goes to dead-letter
      }
      return new Polled(record, System.nanoTime(), persons);
    }
  }

  /** What a batch produced, in input order. */
  record Outcome(
      List<MeshRecovery> meshes,
      List<StochasticSamples> samples,
      List<DeadLetter> deadLetters,
      int persons,
      int stochastic,
      int stale,
      long inferenceMicros) {}

  /** Thrown between two chunks of a batch when the worker is asked to stop; nothing was sent. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("batch cancelled: the worker is stopping", null, false, false);
    }
  }

  private final RecoverConfig config;

  BatchProcessor(RecoverConfig config) {
    this.config = config;
  }

  /** A frame that decoded, with its image, which of its persons run, and why the others do not. */
  private record Work(
      Polled polled,
      Frame frame,
      Mat image,
      List<Integer> valid,
      java.util.Map<Integer, String> rejected,
      boolean stale) {}

  /**
   * Runs a batch. Inference goes in chunks of at most {@code maxBatchPersons} persons (a large
   * frame spans several), at most {@code maxSampledPerBatch} persons are sampled, and {@code
   * cancel} is checked before every chunk.
   *
   * @param threshold the adaptive threshold in force ({@link LoadGovernor}); the configured one
   *     when the worker keeps up
   * @throws Cancelled if {@code cancel} turned true before the batch finished
   */
  Outcome process(
      List<Polled> batch,
      LoadedModel model,
      double threshold,
      java.util.function.BooleanSupplier cancel) {
    List<MeshRecovery> meshes = new ArrayList<>();
    List<StochasticSamples> samples = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    List<Work> work = new ArrayList<>();
    long batchStart = System.nanoTime();
    try {
      for (Polled p : batch) {
        Work w = prepare(p, dead);
        if (w != null) {
          work.add(w);
        }
      }
      List<Work> runnable = work.stream().filter(w -> !w.stale() && !w.valid().isEmpty()).toList();
      int persons = runnable.stream().mapToInt(w -> w.valid().size()).sum();
      long t0 = System.nanoTime();
      // live mode: no sampling may still run once the batch's oldest frame is past the max age
      long deadline = Long.MAX_VALUE;
      if (config.maxAge() != null && !runnable.isEmpty()) {
        long oldestAgeUs =
            runnable.stream().mapToLong(w -> endToEndUs(w.frame())).max().getAsLong();
        deadline = System.nanoTime() + (config.maxAge().toNanos() - oldestAgeUs * 1000);
      }
      List<List<PersonRecoverer.Person>> results =
          recover(
              runnable,
              model,
              new PersonRecoverer.Limits(config.maxSampledPerBatch(), threshold, deadline),
              dead,
              cancel);
      long inferenceUs = (System.nanoTime() - t0) / 1000;
      int stochastic = 0;
      int stale = 0;
      int r = 0;
      for (Work w : work) {
        if (w.stale()) {
          stale++;
          for (int i = 0; i < Math.max(1, w.frame().getPersonsCount()); i++) {
            meshes.add(status(w, i, RecoveryStatus.RECOVERY_STATUS_SKIPPED_STALE, model));
          }
          continue;
        }
        if (w.frame().getPersonsCount() == 0) {
          meshes.add(status(w, -1, RecoveryStatus.RECOVERY_STATUS_NO_PERSONS, model));
          continue;
        }
        List<PersonRecoverer.Person> found = w.valid().isEmpty() ? List.of() : results.get(r++);
        if (found == null) {
          continue; // the frame failed as a whole and went to dead-letter
        }
        int k = 0;
        for (int i = 0; i < w.frame().getPersonsCount(); i++) {
          if (!w.valid().contains(i)) {
            meshes.add(
                status(w, i, RecoveryStatus.RECOVERY_STATUS_REJECTED, model).toBuilder()
                    .setStatusReason(w.rejected().getOrDefault(i, "not run"))
                    .build());
            continue;
          }
          PersonRecoverer.Person person = found.get(k++);
          meshes.add(mesh(w, i, person, model, batchStart, inferenceUs, persons, threshold));
          if (person.stochastic()) {
            stochastic++;
            samples.add(samples(w, i, person, model));
          }
        }
      }
      return new Outcome(meshes, samples, dead, persons, stochastic, stale, inferenceUs);
    } finally {
      for (Work w : work) {
        if (w.image() != null) {
          w.image().close();
        }
      }
    }
  }

  /**
   * A record whose worker died with it in flight on every earlier attempt: not run again, so its
   * partition moves on. Dead-lettered as {@code PROCESSING_FAILED} with its attempts; a frame's
   * persons are recorded {@code REJECTED} with the reason.
   */
  Outcome poisoned(Polled p, int attempts, LoadedModel model) {
    ConsumerRecord<byte[], byte[]> rec = p.record();
    String detail =
        "processing this record did not finish in "
            + (attempts - 1)
            + " attempts (its worker died, was evicted from the group or timed out with it in"
            + " flight); dead-lettered on attempt "
            + attempts
            + " (--max-attempts "
            + config.maxAttempts()
            + ") so that its partition moves on";
    Frame frame = null;
    try {
      frame = io.megastream.proto.Topics.FRAMES.decodeValue(rec.headers(), rec.value());
    } catch (RecordRejectedException e) {
      // not even a frame: the dead letter alone accounts for it
    }
    List<MeshRecovery> meshes = new ArrayList<>();
    if (frame != null) {
      Work w = new Work(p, frame, null, List.of(), java.util.Map.of(), false);
      for (int i = 0; i < Math.max(1, frame.getPersonsCount()); i++) {
        meshes.add(
            status(w, i, RecoveryStatus.RECOVERY_STATUS_REJECTED, model).toBuilder()
                .setStatusReason("poison record: " + detail)
                .build());
      }
    }
    DeadLetter d =
        deadLetter(
                rec,
                new RecordRejectedException(
                    DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED, detail),
                frame)
            .toBuilder()
            .setAttempts(attempts)
            .build();
    return new Outcome(meshes, List.of(), List.of(d), 0, 0, 0, 0);
  }

  /** Decodes and checks one record; null if it went to dead-letter. */
  private Work prepare(Polled p, List<DeadLetter> dead) {
    ConsumerRecord<byte[], byte[]> rec = p.record();
    Frame frame;
    try {
      frame = io.megastream.proto.Topics.FRAMES.decodeValue(rec.headers(), rec.value());
    } catch (RecordRejectedException e) {
      dead.add(deadLetter(rec, e, null));
      return null;
    }
    if (config.maxAge() != null && endToEndUs(frame) > config.maxAge().toNanos() / 1000) {
      return new Work(p, frame, null, List.of(), java.util.Map.of(), true);
    }
    if (frame.getPersonsCount() == 0) {
      return new Work(p, frame, null, List.of(), java.util.Map.of(), false);
    }
    Mat image = Images.decode(frame.getImage().toByteArray());
    if (image == null) {
      dead.add(
          deadLetter(
              rec,
              new RecordRejectedException(
                  DeadLetterReason.DEAD_LETTER_REASON_UNDECODABLE_IMAGE,
                  "frame "
                      + frame.getCameraId()
                      + "/"
                      + frame.getSeq()
                      + ": the image ("
                      + frame.getImage().size()
                      + " bytes, "
                      + frame.getEncoding()
                      + ") does not decode"),
              frame));
      return null;
    }
    List<Integer> valid = new ArrayList<>();
    java.util.Map<Integer, String> rejected = new java.util.HashMap<>();
    List<String> bad = new ArrayList<>();
    int cap = config.maxPersonsPerFrame();
    for (int i = 0; i < frame.getPersonsCount(); i++) {
      Box b = frame.getPersons(i).getBox();
      if (!inside(b, image.cols(), image.rows())
          || (frame.getPersons(i).hasRoi()
              && !inside(frame.getPersons(i).getRoi(), image.cols(), image.rows()))) {
        rejected.put(i, "box empty or outside the image");
        if (bad.size() < 8) {
          bad.add(
              String.format(
                  "person %d box (%.0f, %.0f, %.0f x %.0f)",
                  i, b.getX(), b.getY(), b.getWidth(), b.getHeight()));
        }
      } else if (valid.size() < cap) {
        valid.add(i);
      } else {
        rejected.put(
            i,
            "over the person cap: the frame has "
                + frame.getPersonsCount()
                + " boxes, --max-persons-per-frame is "
                + cap);
      }
    }
    int badBoxes = 0;
    for (String r : rejected.values()) {
      badBoxes += r.startsWith("box") ? 1 : 0;
    }
    int overCap = rejected.size() - badBoxes;
    if (overCap > 0) {
      dead.add(
          deadLetter(
              rec,
              new RecordRejectedException(
                  DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT,
                  "frame "
                      + frame.getCameraId()
                      + "/"
                      + frame.getSeq()
                      + " has "
                      + frame.getPersonsCount()
                      + " person boxes, more than --max-persons-per-frame "
                      + cap
                      + " (a crowd or a broken detector): the first "
                      + cap
                      + " valid persons ran, "
                      + overCap
                      + " are recorded as REJECTED"),
              frame));
    }
    if (!bad.isEmpty()) {
      dead.add(
          deadLetter(
              rec,
              new RecordRejectedException(
                  DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT,
                  "frame "
                      + frame.getCameraId()
                      + "/"
                      + frame.getSeq()
                      + " ("
                      + image.cols()
                      + "x"
                      + image.rows()
                      + "): empty or outside the image: "
                      + String.join(", ", bad)
                      + (badBoxes > bad.size() ? " and " + (badBoxes - bad.size()) + " more" : "")
                      + "; those persons are recorded as REJECTED, the others ran"),
              frame));
    }
    return new Work(p, frame, image, valid, rejected, false);
  }

  /** An ROI with a finite angle whose axis-aligned bounds are a box {@link #inside} the image. */
  static boolean inside(Roi r, int width, int height) {
    if (!Double.isFinite(r.getAngle())) {
      return false;
    }
    float[] xywh = window(r).bounds();
    return inside(
        Box.newBuilder().setX(xywh[0]).setY(xywh[1]).setWidth(xywh[2]).setHeight(xywh[3]).build(),
        width,
        height);
  }

  /** The crop an ROI of the frame schema describes. */
  static CropWindow window(Roi r) {
    return new CropWindow(r.getCenterX(), r.getCenterY(), r.getSide(), r.getAngle());
  }

  /** A box with a positive size that overlaps the image. */
  static boolean inside(Box b, int width, int height) {
    double x = b.getX();
    double y = b.getY();
    double w = b.getWidth();
    double h = b.getHeight();
    return Double.isFinite(x + y + w + h)
        && w >= 2
        && h >= 2
        && x < width
        && y < height
        && x + w > 0
        && y + h > 0;
  }

  /**
   * Runs the runnable frames' persons in chunks of at most {@code maxBatchPersons} (a large frame
   * spans several chunks), sampling at most {@code maxSampledPerBatch} persons in all, so a batch's
   * cost is bounded whatever its frames claim. A chunk that fails is retried frame by frame: one
   * bad frame goes to dead-letter and the others still run. Per runnable frame its persons, or null
   * if it failed.
   */
  private List<List<PersonRecoverer.Person>> recover(
      List<Work> runnable,
      LoadedModel model,
      PersonRecoverer.Limits limits,
      List<DeadLetter> dead,
      java.util.function.BooleanSupplier cancel) {
    List<PersonRecoverer.Person[]> found = new ArrayList<>();
    List<int[]> slots = new ArrayList<>(); // (frame, person) in order: {work index, valid index}
    for (int wi = 0; wi < runnable.size(); wi++) {
      found.add(new PersonRecoverer.Person[runnable.get(wi).valid().size()]);
      for (int k = 0; k < runnable.get(wi).valid().size(); k++) {
        slots.add(new int[] {wi, k});
      }
    }
    boolean[] failed = new boolean[runnable.size()];
    int budget = config.maxSampledPerBatch();
    for (int start = 0; start < slots.size(); start += config.maxBatchPersons()) {
      if (cancel.getAsBoolean()) {
        throw new Cancelled();
      }
      List<int[]> chunk =
          slots.subList(start, Math.min(slots.size(), start + config.maxBatchPersons())).stream()
              .filter(s -> !failed[s[0]])
              .toList();
      try {
        budget -= run(chunk, runnable, found, model, limits.withMaxSampled(budget), cancel);
      } catch (java.util.concurrent.CancellationException e) {
        throw new Cancelled();
      } catch (RuntimeException chunkError) {
        log.warn(
            "recover: a chunk of {} persons failed ({}); retrying frame by frame",
            chunk.size(),
            chunkError.toString());
        for (int wi : chunk.stream().mapToInt(s -> s[0]).distinct().toArray()) {
          try {
            budget -=
                run(
                    chunk.stream().filter(s -> s[0] == wi).toList(),
                    runnable,
                    found,
                    model,
                    limits.withMaxSampled(budget),
                    cancel);
          } catch (java.util.concurrent.CancellationException e) {
            throw new Cancelled();
          } catch (RuntimeException e) {
            Work w = runnable.get(wi);
            log.warn(
                "recover: frame {}/{} failed: {}",
                w.frame().getCameraId(),
                w.frame().getSeq(),
                e.toString());
            dead.add(deadLetter(w.polled().record(), e, w.frame()));
            failed[wi] = true;
          }
        }
      }
    }
    List<List<PersonRecoverer.Person>> out = new ArrayList<>();
    for (int wi = 0; wi < runnable.size(); wi++) {
      out.add(failed[wi] ? null : java.util.Arrays.asList(found.get(wi)));
    }
    return out;
  }

  /** One recoverer call for {@code slots}; fills {@code found}; returns how many were sampled. */
  private static int run(
      List<int[]> slots,
      List<Work> works,
      List<PersonRecoverer.Person[]> found,
      LoadedModel model,
      PersonRecoverer.Limits limits,
      java.util.function.BooleanSupplier cancel) {
    if (slots.isEmpty()) {
      return 0;
    }
    List<Mat> frames = new ArrayList<>();
    List<List<PersonRecoverer.Box>> boxes = new ArrayList<>();
    int last = -1;
    for (int[] s : slots) {
      Work w = works.get(s[0]);
      if (s[0] != last) {
        frames.add(w.image());
        boxes.add(new ArrayList<>());
        last = s[0];
      }
      PersonBox person = w.frame().getPersons(w.valid().get(s[1]));
      Box box = person.getBox();
      CropWindow roi = person.hasRoi() ? window(person.getRoi()) : null;
      boxes
          .get(boxes.size() - 1)
          .add(
              new PersonRecoverer.Box(
                  box.getX(), box.getY(), box.getWidth(), box.getHeight(), roi));
    }
    List<PersonRecoverer.Person> persons =
        model.recoverer().recover(frames, boxes, limits, cancel).persons();
    int sampled = 0;
    for (int k = 0; k < slots.size(); k++) {
      found.get(slots.get(k)[0])[slots.get(k)[1]] = persons.get(k);
      sampled += persons.get(k).stochastic() ? 1 : 0;
    }
    return sampled;
  }

  private static FrameRef ref(Work w) {
    Frame f = w.frame();
    ConsumerRecord<byte[], byte[]> r = w.polled().record();
    return FrameRef.newBuilder()
        .setCameraId(f.getCameraId())
        .setSeq(f.getSeq())
        .setCaptureTimeUs(f.getCaptureTimeUs())
        .setIngestRunId(f.getIngestRunId())
        .setPartition(r.partition())
        .setOffset(r.offset())
        .build();
  }

  private MeshRecovery.Builder base(Work w, int person, LoadedModel model) {
    MeshRecovery.Builder b =
        MeshRecovery.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setFrame(ref(w))
            .setPersonIndex(person)
            .setPersonsInFrame(w.frame().getPersonsCount())
            .setModelVersion(model.version())
            .setWorkerId(config.workerId());
    if (person >= 0) {
      PersonBox pb = w.frame().getPersons(person);
      b.setBox(pb.getBox());
      if (pb.hasTrackId()) {
        b.setTrackId(pb.getTrackId());
      }
    }
    return b;
  }

  private MeshRecovery status(Work w, int person, RecoveryStatus status, LoadedModel model) {
    return base(w, w.frame().getPersonsCount() == 0 ? -1 : person, model)
        .setStatus(status)
        .setTimings(
            Timings.newBuilder()
                .setQueueWaitUs((System.nanoTime() - w.polled().polledNanos()) / 1000)
                .setEndToEndUs(endToEndUs(w.frame())))
        .build();
  }

  private MeshRecovery mesh(
      Work w,
      int i,
      PersonRecoverer.Person p,
      LoadedModel model,
      long batchStart,
      long inferenceUs,
      int batchPersons,
      double threshold) {
    MeshRecovery.Builder b = base(w, i, model).setStatus(RecoveryStatus.RECOVERY_STATUS_OK);
    for (int t : p.tokens()) {
      b.addTokens(t);
    }
    for (int k = 0; k < 6; k++) {
      b.addRotation6D(p.rotCam()[k]);
    }
    for (int k = 6; k < 9; k++) {
      b.addCamera(p.rotCam()[k]);
    }
    b.setCrop(
        Roi.newBuilder()
            .setCenterX((float) p.crop().centerX())
            .setCenterY((float) p.crop().centerY())
            .setSide((float) p.crop().side())
            .setAngle((float) p.crop().angle()));
    b.setMode(
            p.stochastic()
                ? RecoveryMode.RECOVERY_MODE_STOCHASTIC
                : RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
        .setConfidence(p.confidence())
        .setUncertainty(uncertainty(p))
        .setTimings(
            Timings.newBuilder()
                .setQueueWaitUs((batchStart - w.polled().polledNanos()) / 1000)
                .setInferenceUs(inferenceUs)
                .setEndToEndUs(endToEndUs(w.frame()))
                .setBatchSize(batchPersons));
    if (p.samplingSkipped()) {
      b.setSamplingSkipped(true);
    }
    if (config.mode() == PersonRecoverer.Mode.ADAPTIVE) {
      b.setSamplingThreshold((float) threshold);
    }
    return b.build();
  }

  private static Uncertainty uncertainty(PersonRecoverer.Person p) {
    Uncertainty.Builder u = Uncertainty.newBuilder().setSignal(1 - p.confidence());
    if (p.uncertainty() != null) {
      u.setMeanVertexSdMm((float) p.uncertainty().meanStdMm())
          .setMaxVertexSdMm((float) p.uncertainty().maxStdMm())
          .setMeanDistanceToMeanMm((float) p.uncertainty().meanDistanceToMeanMm());
    }
    return u.build();
  }

  private StochasticSamples samples(Work w, int i, PersonRecoverer.Person p, LoadedModel model) {
    StochasticSamples.Builder s =
        StochasticSamples.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setFrame(ref(w))
            .setPersonIndex(i)
            .setNumSamples(config.sampling().samples())
            .setNumSteps(config.sampling().steps())
            .setTemperature((float) config.sampling().temperature())
            .setUncertainty(uncertainty(p))
            .setModelVersion(model.version());
    PersonBox pb = w.frame().getPersons(i);
    if (pb.hasTrackId()) {
      s.setTrackId(pb.getTrackId());
    }
    for (int[] tokens : p.samples()) {
      TokenSequence.Builder t = TokenSequence.newBuilder();
      for (int v : tokens) {
        t.addTokens(v);
      }
      s.addSamples(t);
    }
    for (float v : p.uncertainty().perVertexStdMm()) {
      s.addVertexSdMm(v);
    }
    return s.build();
  }

  /** Capture to now, µs; 0 for a frame without a capture time (never stale, no deadline). */
  private static long endToEndUs(Frame f) {
    return f.getCaptureTimeUs() > 0 ? System.currentTimeMillis() * 1000 - f.getCaptureTimeUs() : 0;
  }

  private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> rec, Exception e, Frame frame) {
    DeadLetter.Builder b = DeadLetters.of("recover", rec, e).setWorkerId(config.workerId());
    if (frame != null) {
      b.setCameraId(frame.getCameraId()).setSeq(frame.getSeq());
    }
    return b.build();
  }

  /** How long the oldest of {@code batch} has waited. */
  static Duration oldestWait(List<Polled> batch) {
    return batch.isEmpty()
        ? Duration.ZERO
        : Duration.ofNanos(System.nanoTime() - batch.get(0).polledNanos());
  }
}
