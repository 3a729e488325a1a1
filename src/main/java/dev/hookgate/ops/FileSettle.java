package dev.hookgate.ops;

import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * When a watched file's change may be read: once its stamp (modification time and size) has stayed
 * the same for the settle period. A writer in two steps (truncate, then write) or an editor saving in
 * place shows a prefix of the file for a moment; a prefix that changes again within the period is never
 * read. Pure: the caller scans and gives the time.
 */
final class FileSettle {
  /** A file's modification time and size; null: the file is missing. */
  record Stamp(FileTime modified, long size) {}

  private final long settleMs;
  private Stamp loaded;
  private Stamp seen;
  private long seenAt;

  /** {@code loaded}: the stamp of the file as it was read at start. */
  FileSettle(Stamp loaded, long settleMs) {
    this.loaded = loaded;
    this.seen = loaded;
    this.settleMs = settleMs;
  }

  /** A scan saw {@code stamp} at {@code now}: true when a change has settled and is to be read now. */
  boolean scan(Stamp stamp, long now) {
    if (!Objects.equals(stamp, seen)) {
      seen = stamp;
      seenAt = now;
      return false;
    }
    if (!Objects.equals(seen, loaded) && now - seenAt >= settleMs) {
      loaded = seen;
      return true;
    }
    return false;
  }

  /** A change was seen and has not settled yet. */
  boolean pending() {
    return !Objects.equals(seen, loaded);
  }
}
