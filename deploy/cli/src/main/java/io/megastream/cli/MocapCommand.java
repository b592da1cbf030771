package io.megastream.cli;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.train.mocap.MocapPublisher;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream mocap}: synthetic motion to the {@code mocap} topic. */
@Command(
    name = "mocap",
    mixinStandardHelpOptions = true,
    description = {
      "Generates synthetic motion (walk, run, jump, squat, kick, throw, turn, bend, fall and get"
          + " up, random poses) for many subjects and publishes it to the mocap topic, one record"
          + " per frame keyed by sequence id. Deterministic for a seed.",
      "This is MegaStream's stand-in for motion-capture archives, which cannot be had here."
    })
final class MocapCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--clips",
      defaultValue = "600",
      description = "Clips to publish (default: ${DEFAULT-VALUE}).")
  int clips;

  @Option(
      names = "--subjects",
      defaultValue = "60",
      description = "Distinct body shapes (default: ${DEFAULT-VALUE}).")
  int subjects;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--fps",
      defaultValue = "30",
      description = "Frame rate (default: ${DEFAULT-VALUE}).")
  int fps;

  @Override
  public Integer call() {
    MotionGenerator generator =
        MotionGenerator.builder().setSeed(seed).optFps(fps).optSubjects(subjects).build();
    long frames = 0;
    try (MocapPublisher publisher = new MocapPublisher(kafka.properties(), ProceduralBody.NAME)) {
      for (int i = 0; i < clips; i++) {
        MotionClip clip = generator.clip(i);
        frames +=
            publisher.publish(
                new MocapPublisher.Sequence(
                    "seed" + seed + "-" + clip.id(),
                    clip.action().toString(),
                    "seed" + seed + "-subject" + clip.subject(),
                    clip.fps(),
                    clip.frames(),
                    "megastream-motion seed=" + seed));
        if ((i + 1) % 100 == 0) {
          System.err.printf("mocap: %d/%d clips, %d frames%n", i + 1, clips, frames);
        }
      }
      publisher.flush(Duration.ofMinutes(2));
    } catch (IllegalStateException e) {
      System.err.println("megastream mocap: " + e.getMessage());
      return ExitCodes.KAFKA_UNAVAILABLE;
    }
    System.out.printf(
        "published %d clips (%d frames, %d subjects, seed %d) to mocap%n",
        clips, frames, subjects, seed);
    return ExitCodes.OK;
  }
}
