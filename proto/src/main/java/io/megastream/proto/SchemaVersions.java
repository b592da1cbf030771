package io.megastream.proto;

/** The schema major versions this build writes and reads. */
public final class SchemaVersions {

  /**
   * Major version of every MegaStream message written by this build. A reader rejects records whose
   * major version is higher than this: compatible changes only add fields and keep the major
   * version, so a higher major means a contract this build does not know.
   */
  public static final int CURRENT = 1;

  private SchemaVersions() {}
}
