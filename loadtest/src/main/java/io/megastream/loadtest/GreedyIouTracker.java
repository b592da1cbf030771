package io.megastream.loadtest;

import io.megastream.ingest.detect.Boxes;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker ingest used before {@link io.megastream.ingest.track.PersonTracker}, kept as {@link
 * TrackerBench}'s baseline: greedy matching of each box to the previous frame's box with the
 * highest overlap (IoU), new ids for the rest. Tracks unseen for {@code maxAge} frames are
 * forgotten. Not thread-safe: one per camera.
 */
final class GreedyIouTracker {

  private record Track(long id, Box box, int age) {}

  private final double minIou;
  private final int maxAge;
  private List<Track> tracks = new ArrayList<>();
  private long nextId = 1;

  GreedyIouTracker(double minIou, int maxAge) {
    this.minIou = minIou;
    this.maxAge = maxAge;
  }

  /** The same boxes, in the same order, with {@code track_id} set. */
  List<PersonBox> update(List<PersonBox> boxes) {
    List<Track> unmatched = new ArrayList<>(tracks);
    List<Track> next = new ArrayList<>();
    List<PersonBox> out = new ArrayList<>(boxes.size());
    for (PersonBox p : boxes) {
      Track best = null;
      double bestIou = minIou;
      for (Track t : unmatched) {
        double iou = Boxes.iou(t.box(), p.getBox());
        if (iou >= bestIou) {
          best = t;
          bestIou = iou;
        }
      }
      long id;
      if (best != null) {
        unmatched.remove(best);
        id = best.id();
      } else {
        id = nextId++;
      }
      next.add(new Track(id, p.getBox(), 0));
      out.add(p.toBuilder().setTrackId(id).build());
    }
    for (Track t : unmatched) {
      if (t.age() + 1 < maxAge) {
        next.add(new Track(t.id(), t.box(), t.age() + 1));
      }
    }
    tracks = next;
    return out;
  }
}
