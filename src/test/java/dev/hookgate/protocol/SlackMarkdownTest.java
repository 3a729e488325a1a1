package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SlackMarkdownTest {

  @Test
  void boldStrikeAndItalic() {
    assertEquals("**bold** and _italic_ and ~~gone~~", SlackMarkdown.toMarkdown("*bold* and _italic_ and ~gone~"));
    assertEquals("2 * 3 * 4 and a*b*c", SlackMarkdown.toMarkdown("2 * 3 * 4 and a*b*c"));
  }

  @Test
  void linksMentionsAndSpecialCommands() {
    assertEquals("[docs](https://example.org/a?b=1&c=2) https://x.org alice@example.org",
        SlackMarkdown.toMarkdown("<https://example.org/a?b=1&amp;c=2|docs> <https://x.org> <mailto:alice@example.org>"));
    assertEquals("@here @channel @all @ann @U1 @oncall ~ops #C9 Tue 3pm",
        SlackMarkdown.toMarkdown("<!here> <!channel> <!everyone> <@U2|ann> <@U1> <!subteam^S1|@oncall> <#C1|ops> <#C9>"
            + " <!date^1392734382^{date_short}|Tue 3pm>"));
  }

  @Test
  void codeIsLeftAlone() {
    assertEquals("**x** `*y* <a|b>` ```\n*z*\n```", SlackMarkdown.toMarkdown("*x* `*y* <a|b>` ```\n*z*\n```"));
  }

  @Test
  void entitiesAreUndone() {
    assertEquals("a < b && c > d", SlackMarkdown.toMarkdown("a &lt; b &amp;&amp; c &gt; d"));
  }
}
