package dev.hookgate.config;

/** {@code log.*}: {@code format} is {@code text} (one line per event) or {@code json} (one JSON object per line, for log shippers). */
public record LogConfig(String format) {
  public boolean json() {
    return format.equals("json");
  }
}
