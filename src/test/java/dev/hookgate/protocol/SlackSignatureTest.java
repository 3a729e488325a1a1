package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Known-answer vectors from Slack's documentation and shared/reference/slack-protocol.md. */
class SlackSignatureTest {
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String TS = "1531420618";
  static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
      + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
      + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
      .getBytes(StandardCharsets.UTF_8);
  static final String DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  static final long NOW = 1531420618 + 10;

  @Test
  void slackDocumentationExampleSignsToTheDocumentedSignature() {
    assertEquals(362, BODY.length);
    assertEquals(DOC_SIGNATURE, SlackSignature.sign(SECRET, TS, BODY));
    assertEquals(SlackSignature.Verdict.VALID, SlackSignature.verify(SECRET, TS, DOC_SIGNATURE, BODY, NOW));
  }

  @Test
  void derivedVectorsMatch() {
    assertEquals("v0=55f41ec73231010289b54e669149ea021fccab11b5524355523533ce930cb739",
        SlackSignature.sign(SECRET, TS, new byte[0]));
    assertEquals("v0=ffbf8ca586db401fa71716579fba59aea718787d68572406a7236da28a871144",
        SlackSignature.sign(SECRET, "1531420619", BODY));
    assertEquals("v0=c29dcce2bce6c75cbde358982b36f7ed29b801c91d0ab76c92cfa0e705a4f68a",
        SlackSignature.sign(SECRET, TS, "text=café".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tamperedBodyIsRefused() {
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 1] = 'd';
    assertEquals(SlackSignature.Verdict.BAD_SIGNATURE, SlackSignature.verify(SECRET, TS, DOC_SIGNATURE, tampered, NOW));
  }

  @Test
  void otherTimestampWithTheSameSignatureIsRefused() {
    assertEquals(SlackSignature.Verdict.BAD_SIGNATURE,
        SlackSignature.verify(SECRET, "1531420619", DOC_SIGNATURE, BODY, NOW));
  }

  @Test
  void staleAndFutureTimestampsAreRefusedBothWays() {
    assertEquals(SlackSignature.Verdict.STALE_TIMESTAMP,
        SlackSignature.verify(SECRET, TS, DOC_SIGNATURE, BODY, 1531420618 + 301));
    assertEquals(SlackSignature.Verdict.STALE_TIMESTAMP,
        SlackSignature.verify(SECRET, TS, DOC_SIGNATURE, BODY, 1531420618 - 301));
    assertEquals(SlackSignature.Verdict.VALID, SlackSignature.verify(SECRET, TS, DOC_SIGNATURE, BODY, 1531420618 + 300));
  }

  @Test
  void missingOrMalformedHeadersAreRefused() {
    assertEquals(SlackSignature.Verdict.MISSING_HEADERS, SlackSignature.verify(SECRET, null, DOC_SIGNATURE, BODY, NOW));
    assertEquals(SlackSignature.Verdict.MISSING_HEADERS, SlackSignature.verify(SECRET, TS, null, BODY, NOW));
    assertEquals(SlackSignature.Verdict.BAD_TIMESTAMP, SlackSignature.verify(SECRET, "soon", DOC_SIGNATURE, BODY, NOW));
    assertEquals(SlackSignature.Verdict.BAD_SIGNATURE,
        SlackSignature.verify(SECRET, TS, DOC_SIGNATURE.replace("v0=", "v1="), BODY, NOW));
  }
}
