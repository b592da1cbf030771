package io.megastream.ingest;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One camera to ingest: an id (the Kafka key of its frames) and where its video comes from.
 *
 * @param id camera id: letters, digits, '.', '_', '-'; at most 128 characters
 * @param uri a file path, {@code file:PATH}, a network URL (rtsp, rtmp, http(s), udp, tcp, srt) or
 *     a V4L2 device ({@code /dev/videoN} or {@code v4l2:/dev/videoN}), or a generated source
 *     ({@code synthetic:OPTIONS}) served by a source plug-in
 */
public record CameraSpec(String id, String uri) {

  /** URI schemes of generated sources, served by plug-ins rather than FFmpeg. */
  public static final java.util.Set<String> GENERATED_SCHEMES = java.util.Set.of("synthetic");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** What kind of source a URI names; live sources cannot be rewound and may drop frames. */
  public enum Kind {
    FILE,
    NETWORK,
    DEVICE,
    /** Made by a source plug-in (see {@link #GENERATED_SCHEMES}); paced and looped like a file. */
    GENERATED;

    public boolean isLive() {
      return this == NETWORK || this == DEVICE;
    }
  }

  public CameraSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(uri, "uri");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "camera id '" + id + "' must match " + ID.pattern() + " (it becomes the Kafka key)");
    }
    if (uri.isBlank()) {
      throw new IllegalArgumentException("camera '" + id + "' has an empty URL");
    }
  }

  /**
   * Parses {@code ID=URL} as given to {@code --camera}.
   *
   * @throws IllegalArgumentException if there is no '=' or either side is invalid
   */
  public static CameraSpec parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "camera '" + text + "' must be ID=URL, e.g. cam1=clip.mp4 or door=rtsp://10.0.0.7/s1");
    }
    return new CameraSpec(text.substring(0, eq), text.substring(eq + 1));
  }

  /** The kind of source, from the URI's scheme. */
  public Kind kind() {
    String u = uri.toLowerCase(Locale.ROOT);
    if (GENERATED_SCHEMES.contains(scheme())) {
      return Kind.GENERATED;
    }
    if (u.startsWith("v4l2:") || u.startsWith("/dev/video")) {
      return Kind.DEVICE;
    }
    for (String scheme :
        new String[] {"rtsp:", "rtsps:", "rtmp:", "http:", "https:", "udp:", "tcp:", "srt:"}) {
      if (u.startsWith(scheme)) {
        return Kind.NETWORK;
      }
    }
    return Kind.FILE;
  }

  /** The address FFmpeg opens: the path without any {@code file:} or {@code v4l2:} prefix. */
  public String address() {
    // schemes are case-insensitive, as in kind()
    for (String prefix : new String[] {"file:", "v4l2:"}) {
      if (uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return uri.substring(prefix.length());
      }
    }
    return uri;
  }

  /** The URI's scheme in lower case ({@code rtsp}, {@code synthetic}, ...), or "" if none. */
  public String scheme() {
    int colon = uri.indexOf(':');
    if (colon <= 0) {
      return "";
    }
    String s = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    return s.matches("[a-z][a-z0-9+.-]*") ? s : "";
  }
}
