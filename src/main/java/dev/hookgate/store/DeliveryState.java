package dev.hookgate.store;

/** pending (queued or being retried) → delivered | dead. A dead delivery can be replayed. */
public enum DeliveryState {
  PENDING, DELIVERED, DEAD;

  public String dbName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static DeliveryState fromDb(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
