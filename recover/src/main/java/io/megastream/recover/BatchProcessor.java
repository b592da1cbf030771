package io.megastream.recover;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.pose.Images;
import io.megastream.proto.Box;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.PersonBox;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
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

  private final RecoverConfig config;

  BatchProcessor(RecoverConfig config) {
    this.config = config;
  }

  /** A frame that decoded, with its image and which of its persons are valid. */
  private record Work(Polled polled, Frame frame, Mat image, List<Integer> valid, boolean stale) {}

  Outcome process(List<Polled> batch, LoadedModel model) {
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
      List<List<PersonRecoverer.Person>> results = recover(runnable, model, dead);
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
            meshes.add(status(w, i, RecoveryStatus.RECOVERY_STATUS_REJECTED, model));
            continue;
          }
          PersonRecoverer.Person person = found.get(k++);
          meshes.add(mesh(w, i, person, model, batchStart, inferenceUs, persons));
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
    if (config.maxAge() != null && frame.getCaptureTimeUs() > 0) {
      long ageUs = System.currentTimeMillis() * 1000 - frame.getCaptureTimeUs();
      if (ageUs > config.maxAge().toNanos() / 1000) {
        return new Work(p, frame, null, List.of(), true);
      }
    }
    if (frame.getPersonsCount() == 0) {
      return new Work(p, frame, null, List.of(), false);
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
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < frame.getPersonsCount(); i++) {
      Box b = frame.getPersons(i).getBox();
      if (inside(b, image.cols(), image.rows())) {
        valid.add(i);
      } else {
        bad.add(
            String.format(
                "person %d box (%.0f, %.0f, %.0f x %.0f)",
                i, b.getX(), b.getY(), b.getWidth(), b.getHeight()));
      }
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
                      + "; those persons are recorded as REJECTED, the others ran"),
              frame));
    }
    return new Work(p, frame, image, valid, false);
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
   * One recoverer call for the whole batch; if it fails, frame by frame, so one bad frame goes to
   * dead-letter and the others still run. Per runnable frame its persons, or null if it failed.
   */
  private List<List<PersonRecoverer.Person>> recover(
      List<Work> runnable, LoadedModel model, List<DeadLetter> dead) {
    List<List<PersonRecoverer.Person>> out = new ArrayList<>();
    if (runnable.isEmpty()) {
      return out;
    }
    try {
      List<PersonRecoverer.Person> all = run(runnable, model);
      int k = 0;
      for (Work w : runnable) {
        out.add(all.subList(k, k + w.valid().size()));
        k += w.valid().size();
      }
      return out;
    } catch (RuntimeException batchError) {
      log.warn(
          "recover: a batch of {} frames failed ({}); retrying frame by frame",
          runnable.size(),
          batchError.toString());
      for (Work w : runnable) {
        try {
          out.add(run(List.of(w), model));
        } catch (RuntimeException e) {
          log.warn(
              "recover: frame {}/{} failed: {}",
              w.frame().getCameraId(),
              w.frame().getSeq(),
              e.toString());
          dead.add(deadLetter(w.polled().record(), e, w.frame()));
          out.add(null);
        }
      }
      return out;
    }
  }

  private static List<PersonRecoverer.Person> run(List<Work> works, LoadedModel model) {
    List<Mat> frames = new ArrayList<>();
    List<List<PersonRecoverer.Box>> boxes = new ArrayList<>();
    for (Work w : works) {
      frames.add(w.image());
      List<PersonRecoverer.Box> b = new ArrayList<>();
      for (int i : w.valid()) {
        Box box = w.frame().getPersons(i).getBox();
        b.add(new PersonRecoverer.Box(box.getX(), box.getY(), box.getWidth(), box.getHeight()));
      }
      boxes.add(b);
    }
    return model.recoverer().recover(frames, boxes).persons();
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
      int batchPersons) {
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
