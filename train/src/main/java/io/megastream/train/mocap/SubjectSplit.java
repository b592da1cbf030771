package io.megastream.train.mocap;

import io.megastream.mega.body.BodyParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Training and held-out frames of mocap sequences, split by subject: every n-th subject (in sorted
 * order) is held out, so its shape and its clips are never trained on.
 *
 * @param train frames of training subjects
 * @param heldOut frames of held-out subjects
 * @param trainSubjects training subject ids
 * @param heldOutSubjects held-out subject ids
 */
public record SubjectSplit(
    List<BodyParams> train,
    List<BodyParams> heldOut,
    Set<String> trainSubjects,
    Set<String> heldOutSubjects) {

  /**
   * Splits sequences.
   *
   * @param heldOutEvery every n-th subject is held out
   * @param frameStride every n-th frame is used (neighbouring frames are near-duplicates)
   */
  public static SubjectSplit of(List<MocapSequence> sequences, int heldOutEvery, int frameStride) {
    Set<String> subjects = new TreeSet<>();
    sequences.forEach(s -> subjects.add(s.subject()));
    Set<String> heldOutSubjects = new TreeSet<>();
    int i = 0;
    for (String s : subjects) {
      if (i++ % heldOutEvery == heldOutEvery - 1) {
        heldOutSubjects.add(s);
      }
    }
    List<BodyParams> train = new ArrayList<>();
    List<BodyParams> heldOut = new ArrayList<>();
    Set<String> trainSubjects = new TreeSet<>();
    for (MocapSequence s : sequences) {
      boolean held = heldOutSubjects.contains(s.subject());
      if (!held) {
        trainSubjects.add(s.subject());
      }
      for (int f = 0; f < s.frames().size(); f += frameStride) {
        (held ? heldOut : train).add(s.frames().get(f));
      }
    }
    return new SubjectSplit(train, heldOut, trainSubjects, heldOutSubjects);
  }

  /** At most n frames spread evenly over a list. */
  public static List<BodyParams> spread(List<BodyParams> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<BodyParams> out = new ArrayList<>(n);
    double step = (double) all.size() / n;
    for (int k = 0; k < n; k++) {
      out.add(all.get((int) (k * step)));
    }
    return out;
  }

  /** CPU time of this process, nanoseconds (wall time where the JVM cannot tell). */
  public static long cpuNanos() {
    var bean = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return System.nanoTime();
  }
}
