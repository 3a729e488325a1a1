package dev.hookgate.protocol;

/** A request that cannot be understood; its message is safe to show to the client (no secrets). */
public final class MalformedRequestException extends RuntimeException {
  public MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
