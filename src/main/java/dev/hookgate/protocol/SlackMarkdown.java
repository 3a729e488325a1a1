package dev.hookgate.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's mrkdwn as Mattermost's Markdown: {@code *bold*} → {@code **bold**}, {@code ~strike~} →
 * {@code ~~strike~~}, {@code <url|label>} → {@code [label](url)}, {@code <!here>} → {@code @here},
 * {@code <@U1|ann>} → {@code @ann}, {@code <#C1|ops>} → {@code ~ops}, entities unescaped; code
 * spans and blocks are left as they are. Pure.
 */
public final class SlackMarkdown {
  private static final Pattern CODE = Pattern.compile("```[\\s\\S]*?```|`[^`\\n]*`");
  private static final Pattern ANGLE = Pattern.compile("<([^<>\\n]+)>");
  private static final Pattern BOLD = Pattern.compile("(?<![\\w*\\\\])\\*(?![\\s*])([^*\\n]*?[^\\s*])\\*(?![\\w*])");
  private static final Pattern STRIKE = Pattern.compile("(?<![\\w~])~(?![\\s~])([^~\\n]*?[^\\s~])~(?![\\w~])");

  private SlackMarkdown() {}

  /** Slack mrkdwn as Mattermost Markdown. */
  public static String toMarkdown(String mrkdwn) {
    StringBuilder out = new StringBuilder();
    Matcher code = CODE.matcher(mrkdwn);
    int last = 0;
    while (code.find()) {
      out.append(prose(mrkdwn.substring(last, code.start()))).append(unescape(code.group()));
      last = code.end();
    }
    return out.append(prose(mrkdwn.substring(last))).toString();
  }

  /** Plain text (Block Kit's plain_text): only Slack's entities are undone. */
  public static String plain(String text) {
    return unescape(text);
  }

  private static String prose(String s) {
    String t = BOLD.matcher(s).replaceAll("**$1**");
    t = STRIKE.matcher(t).replaceAll("~~$1~~");
    Matcher m = ANGLE.matcher(t);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(angle(m.group(1))));
    }
    m.appendTail(out);
    return unescape(out.toString());
  }

  /** One {@code <...>}: a link, a mention or a special command. */
  private static String angle(String inner) {
    int bar = inner.indexOf('|');
    String target = bar < 0 ? inner : inner.substring(0, bar);
    String label = bar < 0 ? null : inner.substring(bar + 1);
    if (target.startsWith("!")) {
      String cmd = target.substring(1);
      if (cmd.equals("here") || cmd.equals("channel")) {
        return "@" + cmd;
      }
      if (cmd.equals("everyone")) {
        return "@all";
      }
      if (cmd.startsWith("subteam^")) {
        return label != null ? label : "@" + cmd.substring("subteam^".length());
      }
      return label != null ? label : "";  // <!date^...|fallback> and others: their fallback text
    }
    if (target.startsWith("@")) {
      return "@" + (label != null ? label.replaceFirst("^@", "") : target.substring(1));
    }
    if (target.startsWith("#")) {
      return label != null ? "~" + label : target;
    }
    if (label == null || label.isEmpty()) {
      return target.startsWith("mailto:") ? target.substring("mailto:".length()) : target;
    }
    return "[" + label + "](" + target + ")";
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
