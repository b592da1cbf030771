package io.megastream.recover.model;

/** A model version could not be loaded (missing, corrupt or unsuitable files). */
public final class ModelLoadException extends Exception {

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
