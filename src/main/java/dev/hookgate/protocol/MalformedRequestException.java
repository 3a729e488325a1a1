package dev.hookgate.protocol;

/** A request that cannot be understood; its message is safe to show to the client (no secrets). */
public final class MalformedRequestException extends RuntimeException {
  /** What is wrong, for the status of the answer. */
  public enum Kind {
    /** The body is not of a media type the endpoint reads (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** A relay payload with no content to post: neither text, attachments nor blocks (Mattermost's 400). */
    NO_TEXT,
    /** Anything else the client sent wrong (400). */
    MALFORMED
  }

  private final Kind kind;

  public MalformedRequestException(String message) {
    this(Kind.MALFORMED, message);
  }

  public MalformedRequestException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
