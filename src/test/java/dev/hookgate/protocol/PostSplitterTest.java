package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostSplitterTest {
  private static final String GRIN = "\uD83D\uDE00"; // one code point, two chars

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of("short", 10, List.of("short")),
        Arguments.of("", 5, List.of("")),
        Arguments.of("exactly10!", 10, List.of("exactly10!")),
        Arguments.of("abcdefghij", 4, List.of("abcd", "efgh", "ij")),
        Arguments.of("aaa bbb ccc", 8, List.of("aaa bbb", "ccc")),
        Arguments.of("aaa bbb\nccc ddd", 10, List.of("aaa bbb", "ccc ddd")),
        Arguments.of("aa bb\ncc dd ee", 12, List.of("aa bb", "cc dd ee")),
        Arguments.of("one two three four", 9, List.of("one two", "three", "four")),
        Arguments.of("line1\nline2\nline3", 12, List.of("line1\nline2", "line3")),
        Arguments.of(GRIN.repeat(5), 2, List.of(GRIN.repeat(2), GRIN.repeat(2), GRIN)),
        Arguments.of("a" + GRIN + GRIN + "b", 2, List.of("a" + GRIN, GRIN + "b")),
        Arguments.of(GRIN + " " + GRIN + GRIN, 3, List.of(GRIN, GRIN + GRIN)));
  }

  @ParameterizedTest(name = "[{index}] max {1}")
  @MethodSource("examples")
  void splitsAtTheBestBoundary(String text, int max, List<String> parts) {
    assertEquals(parts, PostSplitter.split(text, max));
  }

  /**
   * A separator just past a full part (at code point index max) can be dropped: the part then has
   * exactly max code points. Today the search for a separator starts one char too early.
   */
  static Stream<Arguments> separatorJustPastAFullPart() {
    return Stream.of(
        Arguments.of("xxxx\nyyyy", 4, List.of("xxxx", "yyyy")),
        Arguments.of("xxxx\nyyyy\nzzzz", 4, List.of("xxxx", "yyyy", "zzzz")),
        Arguments.of("aaa bbb ccc", 7, List.of("aaa bbb", "ccc")),
        Arguments.of("aaaa bbb", 4, List.of("aaaa", "bbb")),
        Arguments.of(GRIN + GRIN + "\n" + GRIN, 2, List.of(GRIN + GRIN, GRIN)));
  }

  @ParameterizedTest(name = "[{index}] max {1}")
  @MethodSource("separatorJustPastAFullPart")
  void separatorRightAfterAFullPartIsTheCut(String text, int max, List<String> parts) {
    assertEquals(parts, PostSplitter.split(text, max));
  }

  @Test
  void linesOfExactlyTheMaximumBecomeOnePostEach() {
    String line = "y".repeat(100);
    String text = String.join("\n", line, line, line);
    assertEquals(List.of(line, line, line), PostSplitter.split(text, 100));
  }

  @Test
  void limitCountsCodePointsNotChars() {
    String text = GRIN.repeat(10); // 20 chars, 10 code points
    assertEquals(List.of(text), PostSplitter.split(text, 10));
    assertEquals(10, PostSplitter.length(text));
    assertEquals(20, text.length());
  }

  @Test
  void hardCutNeverSplitsASurrogatePair() {
    String text = "a" + GRIN.repeat(6);
    for (int max = 1; max <= 7; max++) {
      for (String part : PostSplitter.split(text, max)) {
        assertFalse(Character.isLowSurrogate(part.charAt(0)), () -> "part starts inside a pair: " + part);
        assertFalse(Character.isHighSurrogate(part.charAt(part.length() - 1)), () -> "part ends inside a pair: " + part);
      }
    }
  }

  @Test
  void prefersNewlineOverALaterSpace() {
    assertEquals(List.of("alpha", "beta gamma delta"), PostSplitter.split("alpha\nbeta gamma delta", 18));
  }

  @Test
  void mattermostLimitIsPostMessageMaxRunesV2() {
    assertEquals(16383, PostSplitter.MATTERMOST_MAX_POST_CHARS);
    String text = "x".repeat(16383);
    assertEquals(List.of(text), PostSplitter.split(text, PostSplitter.MATTERMOST_MAX_POST_CHARS));
    assertEquals(2, PostSplitter.split(text + "y", PostSplitter.MATTERMOST_MAX_POST_CHARS).size());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void nonPositiveMaximumIsRefused(int max) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostSplitter.split("x", max));
    assertEquals("maxChars must be positive", e.getMessage());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 2024, 7777})
  void everyPartFitsAndPartsRejoinToTheText(long seed) {
    Random random = new Random(seed);
    String[] atoms = {"a", "b", "é", GRIN, "\u4e2d", " ", " ", "\n", "word", "\uD83C\uDDEB\uD83C\uDDF7"};
    for (int round = 0; round < 50; round++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(200);
      for (int i = 0; i < n; i++) {
        sb.append(atoms[random.nextInt(atoms.length)]);
      }
      String text = sb.toString();
      int max = 1 + random.nextInt(30);
      List<String> parts = PostSplitter.split(text, max);
      for (String part : parts) {
        assertTrue(PostSplitter.length(part) <= max, () -> "part longer than " + max + ": " + part);
      }
      assertTrue(rejoins(text, 0, parts, 0), () -> "parts " + parts + " do not rejoin to " + text);
    }
  }

  /** Whether the parts, each followed by nothing or by one dropped '\n' or ' ', spell the text. */
  private static boolean rejoins(String text, int pos, List<String> parts, int i) {
    String part = parts.get(i);
    if (!text.startsWith(part, pos)) {
      return false;
    }
    int end = pos + part.length();
    if (i == parts.size() - 1) {
      return end == text.length();
    }
    if (rejoins(text, end, parts, i + 1)) {
      return true;
    }
    return end < text.length() && (text.charAt(end) == '\n' || text.charAt(end) == ' ')
        && rejoins(text, end + 1, parts, i + 1);
  }
}
