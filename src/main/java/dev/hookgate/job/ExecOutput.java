package dev.hookgate.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One output stream of a job's process, read on a pump thread and capped at {@code cap} bytes
 * (past the cap the rest is read and dropped, so that the process never blocks on a full pipe).
 * With a progress sink, lines starting with {@code ::progress } go there instead. What was read is
 * available at any time ({@link #text()}), also while the pump is still blocked on a pipe that a
 * stray process keeps open.
 */
final class ExecOutput {
  /** Lines of stdout starting with this are progress reports, not output. */
  static final String PROGRESS_PREFIX = "::progress ";
  private static final byte[] PREFIX = PROGRESS_PREFIX.getBytes(StandardCharsets.UTF_8);

  private final int cap;
  private final Consumer<String> progress;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  /** {@code progress} null: the stream is kept as it is (stderr). */
  ExecOutput(int cap, Consumer<String> progress) {
    this.cap = cap;
    this.progress = progress;
  }

  /** Reads {@code in} to its end (or until it fails, e.g. closed); runs on a pump thread. */
  void pump(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        accept(buf, n);
      }
    } catch (IOException ignored) {
      // closed under the pump: what was read is kept
    }
    synchronized (this) {
      endLine(false);
    }
  }

  private synchronized void accept(byte[] buf, int n) {
    if (progress == null) {
      int keep = Math.min(n, cap - out.size());
      if (keep > 0) {
        out.write(buf, 0, keep);
      }
      return;
    }
    // lines are cut from the raw bytes, so memory stays bounded even for output without newlines
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        endLine(true);
      } else if (line.size() < cap + PREFIX.length) {
        line.write(buf[i]);
      }
    }
  }

  private void endLine(boolean newline) {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (progress != null && bytes.length >= PREFIX.length && Arrays.equals(bytes, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
      progress.accept(new String(bytes, PREFIX.length, bytes.length - PREFIX.length, StandardCharsets.UTF_8).strip());
      return;
    }
    int keep = Math.min(bytes.length, cap - out.size());
    if (keep > 0) {
      out.write(bytes, 0, keep);
    }
    if (newline && out.size() < cap) {
      out.write('\n');
    }
  }

  /** What was read so far, with a line not yet ended. */
  synchronized String text() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(out.toByteArray());
    byte[] pending = line.toByteArray();
    if (!(pending.length >= PREFIX.length && Arrays.equals(pending, 0, PREFIX.length, PREFIX, 0, PREFIX.length))) {
      all.write(pending, 0, Math.max(0, Math.min(pending.length, cap - out.size())));
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
