package io.megastream.recover;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A recover worker as its own process, for the tests that kill, signal or restart one: {@code
 * bootstrap group workerId [key=value ...]}. Runs {@link WorkerRunner}, the main loop {@code
 * megastream recover} runs, with the test fixtures' model and timeouts. Prints {@code started} once
 * its worker runs; exits 0 after {@code maxFrames} committed frames, 143 on SIGTERM.
 */
public final class WorkerProcess {

  private WorkerProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      o.put(kv[0], kv[1]);
    }
    RecoverConfig config =
        RecoverFixtures.config(args[0], args[1], args[2])
            .optMode(PersonRecoverer.Mode.valueOf(o.getOrDefault("mode", "DETERMINISTIC")))
            .optSampling(
                MegaGenerator.Sampling.conditional(
                    Integer.parseInt(o.getOrDefault("samples", "2")),
                    Integer.parseInt(o.getOrDefault("steps", "2")),
                    1.0))
            .optMaxBatchPersons(Integer.parseInt(o.getOrDefault("maxBatch", "8")))
            .optMaxSampledPerBatch(Integer.parseInt(o.getOrDefault("maxSampled", "4")))
            .optShutdownGrace(Duration.ofMillis(Long.parseLong(o.getOrDefault("graceMs", "5000"))))
            .optKafka(
                o.containsKey("sessionTimeoutMs")
                    ? Map.of(
                        "session.timeout.ms",
                        o.get("sessionTimeoutMs"),
                        "heartbeat.interval.ms",
                        "1000")
                    : Map.of())
            .build();
    RecoverWorker worker = new RecoverWorker(config);
    worker.start();
    System.out.println("started " + config.workerId());
    System.out.flush();
    boolean ok =
        WorkerRunner.run(
            worker,
            config.workerId(),
            Long.parseLong(o.getOrDefault("maxFrames", "0")),
            System.out);
    System.out.println("stopped " + config.workerId() + (ok ? "" : " with a failure"));
    System.exit(ok ? 0 : 1);
  }
}
