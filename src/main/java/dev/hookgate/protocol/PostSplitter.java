package dev.hookgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into consecutive posts of at most {@code maxChars} characters (Unicode code points,
 * as Mattermost counts runes), preferring a line boundary, then a space, then a hard cut that never
 * splits a surrogate pair.
 */
public final class PostSplitter {
  /** Mattermost's PostMessageMaxRunesV2. */
  public static final int MATTERMOST_MAX_POST_CHARS = 16383;

  private PostSplitter() {}

  public static List<String> split(String text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive");
    }
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.codePointCount(0, rest.length()) > maxChars) {
      int limit = rest.offsetByCodePoints(0, maxChars); // char index just past maxChars code points
      int cut = rest.lastIndexOf('\n', limit);
      int skip = 1;
      if (cut <= 0) {
        cut = rest.lastIndexOf(' ', limit);
      }
      if (cut <= 0) {
        cut = limit;
        skip = 0;
      }
      parts.add(rest.substring(0, cut));
      rest = rest.substring(cut + skip);
    }
    parts.add(rest);
    return parts;
  }

  /** Code points in a string: the length Mattermost compares to its post limit. */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
