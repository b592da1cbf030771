package io.megastream.mega.motion;

import java.util.Locale;

/** The actions the motion generator performs. */
public enum Action {
  WALK("walk"),
  RUN("run"),
  JUMP("jump"),
  SQUAT("squat"),
  KICK("kick"),
  THROW("throw"),
  TURN("turn"),
  BEND("bend"),
  FALL_AND_GET_UP("fall-and-get-up"),
  /** Smooth motion between random poses drawn from a prior with coordinated joints. */
  RANDOM("random");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  /** The action's name in clip ids and files, e.g. {@code fall-and-get-up}. */
  public String id() {
    return id;
  }

  /**
   * The action with an id.
   *
   * @throws IllegalArgumentException if no action has that id
   */
  public static Action fromId(String id) {
    for (Action a : values()) {
      if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown action: " + id);
  }
}
