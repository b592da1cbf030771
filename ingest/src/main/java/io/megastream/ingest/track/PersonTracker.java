package io.megastream.ingest.track;

import io.megastream.ingest.detect.Boxes;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import io.megastream.proto.Roi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives person boxes track ids that stay stable across frames of one camera.
 *
 * <p>Each track predicts where its person is now from a constant-velocity model of the box centre.
 * Every (track, box) pair is scored by the IoU of the predicted box with the new one, plus, when
 * both carry a landmark ROI (the BlazePose detector's crop, centred on the hips and sized by the
 * body), how close the ROI centres are relative to the ROI side. Pairs are then taken best first
 * across the whole frame, so a person's id goes to the box that fits it best rather than to the
 * first box that fits it at all. Boxes left over start tracks; tracks unseen for {@code maxAge}
 * frames are forgotten. Not thread-safe: one per camera.
 */
public final class PersonTracker {

  /**
   * @param minIou a pair without ROIs matches only above this IoU of the predicted box
   * @param maxRoiDistance ROI centres further apart than this share of the ROI side do not match
   * @param maxAge frames a track survives unseen
   */
  public record Options(double minIou, double maxRoiDistance, int maxAge) {

    public static final Options DEFAULTS = new Options(0.3, 0.5, 15);

    public Options {
      if (minIou <= 0 || minIou > 1 || maxRoiDistance <= 0 || maxAge < 1) {
        throw new IllegalArgumentException(
            "need 0 < minIou <= 1, maxRoiDistance > 0, maxAge >= 1: " + this);
      }
    }
  }

  /** ROI sides of one person in consecutive frames differ by at most this factor. */
  private static final double MAX_SIDE_RATIO = 1.6;

  /** Weight of the newest measured velocity against the track's running estimate. */
  private static final double VELOCITY_GAIN = 0.6;

  private static final class Track {
    final long id;
    Box box;
    Roi roi; // null when the detector gives none
    double vx;
    double vy;
    int age; // frames since last matched

    Track(long id, PersonBox p) {
      this.id = id;
      this.box = p.getBox();
      this.roi = p.hasRoi() ? p.getRoi() : null;
    }

    double dx() {
      return vx * (age + 1);
    }

    double dy() {
      return vy * (age + 1);
    }

    Box predictedBox() {
      return box.toBuilder()
          .setX((float) (box.getX() + dx()))
          .setY((float) (box.getY() + dy()))
          .build();
    }

    void update(PersonBox p) {
      double frames = age + 1;
      double mx = (centreX(p.getBox()) - centreX(box)) / frames;
      double my = (centreY(p.getBox()) - centreY(box)) / frames;
      vx = VELOCITY_GAIN * mx + (1 - VELOCITY_GAIN) * vx;
      vy = VELOCITY_GAIN * my + (1 - VELOCITY_GAIN) * vy;
      box = p.getBox();
      roi = p.hasRoi() ? p.getRoi() : null;
      age = 0;
    }
  }

  private record Pair(Track track, int box, double score) {}

  private final Options options;
  private final List<Track> tracks = new ArrayList<>();
  private long nextId = 1;

  public PersonTracker(Options options) {
    this.options = options;
  }

  /** The same boxes, in the same order, with {@code track_id} set. */
  public List<PersonBox> update(List<PersonBox> boxes) {
    List<Pair> pairs = new ArrayList<>();
    for (Track t : tracks) {
      Box predicted = t.predictedBox();
      for (int i = 0; i < boxes.size(); i++) {
        double score = score(t, predicted, boxes.get(i));
        if (score > 0) {
          pairs.add(new Pair(t, i, score));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::score).reversed());
    Track[] matched = new Track[boxes.size()];
    Set<Track> taken = new HashSet<>();
    for (Pair p : pairs) {
      if (matched[p.box()] == null && !taken.contains(p.track())) {
        matched[p.box()] = p.track();
        taken.add(p.track());
      }
    }
    List<PersonBox> out = new ArrayList<>(boxes.size());
    for (Track t : tracks) {
      if (!taken.contains(t)) {
        t.age++;
      }
    }
    tracks.removeIf(t -> t.age >= options.maxAge());
    for (int i = 0; i < boxes.size(); i++) {
      PersonBox p = boxes.get(i);
      Track t = matched[i];
      if (t == null) {
        t = new Track(nextId++, p);
        tracks.add(t);
      } else {
        t.update(p);
      }
      out.add(p.toBuilder().setTrackId(t.id).build());
    }
    return out;
  }

  /**
   * How well a box continues a track: the IoU of the predicted box, plus up to 1 for ROI centres
   * that coincide (falling to 0 at {@link Options#maxRoiDistance} of the side); 0 for no match.
   */
  private double score(Track t, Box predicted, PersonBox p) {
    double iou = Boxes.iou(predicted, p.getBox());
    double near = 0;
    if (t.roi != null && p.hasRoi()) {
      Roi a = t.roi;
      Roi b = p.getRoi();
      double side = Math.max(a.getSide(), b.getSide());
      double ratio = side / Math.max(1e-6, Math.min(a.getSide(), b.getSide()));
      double distance =
          Math.hypot(
                  a.getCenterX() + t.dx() - b.getCenterX(),
                  a.getCenterY() + t.dy() - b.getCenterY())
              / side;
      if (ratio <= MAX_SIDE_RATIO && distance < options.maxRoiDistance()) {
        near = 1 - distance / options.maxRoiDistance();
      }
    }
    return iou >= options.minIou() || near > 0 ? iou + near : 0;
  }

  private static double centreX(Box b) {
    return b.getX() + b.getWidth() / 2.0;
  }

  private static double centreY(Box b) {
    return b.getY() + b.getHeight() / 2.0;
  }
}
