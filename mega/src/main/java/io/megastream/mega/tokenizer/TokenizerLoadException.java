package io.megastream.mega.tokenizer;

/** A tokenizer directory is missing, incomplete, corrupt or for another body model. */
public class TokenizerLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  public TokenizerLoadException(String message) {
    super(message);
  }

  public TokenizerLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
