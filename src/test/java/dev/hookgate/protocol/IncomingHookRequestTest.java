package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IncomingHookRequestTest {
  /** The message as it goes on the wire, as a tree. */
  static com.fasterxml.jackson.databind.node.ObjectNode json(ChatMessage m) {
    return (com.fasterxml.jackson.databind.node.ObjectNode) ChatJson.parse(m.encode());
  }

  private static final String FORM = "application/x-www-form-urlencoded";

  private static ChatMessage parse(String contentType, String body) {
    return IncomingHookRequest.parse(contentType, body.getBytes(StandardCharsets.UTF_8), 256);
  }

  private static String fixture(String name) throws IOException {
    return Files.readString(SlashCommandTest.FIXTURES.resolve(name), StandardCharsets.UTF_8);
  }

  private static MalformedRequestException refused(String contentType, String body) {
    return assertThrows(MalformedRequestException.class, () -> parse(contentType, body));
  }

  @ParameterizedTest(name = "content type [{0}]")
  @NullSource
  @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "text/plain", "mimetype/wrong", ""})
  void jsonBodyIsReadWhateverTheContentTypeUnlessItIsAForm(String contentType) {
    assertEquals("hello", parse(contentType, "{\"text\":\"hello\"}").text());
  }

  @Test
  void seedCurlFixtureKeepsItsMarkdownNewlineMentionAndEmoji() throws IOException {
    ChatMessage m = parse("application/json", fixture("seed-hook-curl.json"));
    assertEquals("## Message formaté !!\nAvec retour à la ligne et mention @quentinduchemin :relaxed:", m.text());
    assertEquals(0, m.attachments().size());
  }

  @ParameterizedTest(name = "content type [{0}]")
  @ValueSource(strings = {FORM, "application/x-www-form-urlencoded; charset=utf-8", "AppLicaTion/x-www-Form-urlencoded"})
  void payloadFormFieldIsParsedAsJson(String contentType) throws IOException {
    String json = fixture("seed-hook-curl.json");
    ChatMessage m = parse(contentType, "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8));
    assertEquals("## Message formaté !!\nAvec retour à la ligne et mention @quentinduchemin :relaxed:", m.text());
  }

  @Test
  void formWithoutPayloadIsAnEmptyPayload() {
    assertEquals("empty payload", refused(FORM, "text=hello").getMessage());
  }

  @Test
  void formBodyWithoutFormContentTypeIsInvalidJson() {
    assertTrue(refused("mimetype/wrong", "payload=%7B%22text%22%3A%22x%22%7D").getMessage().startsWith("invalid JSON: "));
  }

  @ParameterizedTest(name = "body [{0}]")
  @ValueSource(strings = {"", "   ", "\n"})
  void blankBodyIsAnEmptyPayload(String body) {
    assertEquals("empty payload", refused("application/json", body).getMessage());
  }

  @Test
  void bodyThatIsNotUtf8IsRefused() {
    byte[] body = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}'};
    MalformedRequestException e = assertThrows(MalformedRequestException.class,
        () -> IncomingHookRequest.parse("application/json", body, 256));
    assertEquals("request body is not valid UTF-8", e.getMessage());
  }

  @Test
  void keysAreMatchedCaseInsensitivelyAndStoredLowerCase() {
    ChatMessage m = parse(null, "{\"Text\":\"hi\",\"USERNAME\":\"bot\",\"Icon_Url\":\"https://i/x.png\",\"Channel\":\"#ops\"}");
    assertEquals("hi", m.text());
    ObjectNode json = json(m);
    assertEquals("bot", json.get("username").asText());
    assertEquals("https://i/x.png", json.get("icon_url").asText());
    assertEquals("#ops", json.get("channel").asText());
    assertFalse(json.has("Text"));
    assertFalse(json.has("USERNAME"));
  }

  @Test
  void unknownKeysArePassedThroughUntouched() {
    ObjectNode json = json(parse(null, "{\"text\":\"hi\",\"Response_Type\":\"in_channel\",\"extra\":{\"a\":1}}"));
    assertEquals("in_channel", json.get("Response_Type").asText());
    assertEquals(1, json.get("extra").get("a").asInt());
  }

  @Test
  void rawNewlineAndTabInTextAreEscapedOnRetry() {
    ChatMessage m = parse("application/json", "{\"text\": \"line one\nline\ttwo\", \"username\": \"bot\"}");
    assertEquals("line one\nline\ttwo", m.text());
    assertEquals("bot", json(m).get("username").asText());
  }

  @Test
  void rawNewlineInAttachmentFieldsIsEscapedOnRetry() {
    ChatMessage m = parse(null, "{\"attachments\":[{\"title\":\"a\nb\",\"fallback\":\"c\nd\",\"fields\":"
        + "[{\"title\":\"t\",\"value\":\"v\n1\"}]}]}");
    assertEquals("a\nb", m.attachments().get(0).get("title").asText());
    assertEquals("c\nd", m.attachments().get(0).get("fallback").asText());
    assertEquals("v\n1", m.attachments().get(0).get("fields").get(0).get("value").asText());
  }

  @Test
  void escapeControlCharsTouchesOnlyTextLikeKeys() {
    assertEquals("{\"text\":\"a\\nb\\tc\",\"username\":\"x\ny\"}",
        IncomingHookRequest.escapeControlChars("{\"text\":\"a\nb\tc\",\"username\":\"x\ny\"}"));
    assertEquals("{\"text\":\"say \\\"hi\\\"\\nbye\"}",
        IncomingHookRequest.escapeControlChars("{\"text\":\"say \\\"hi\\\"\nbye\"}"));
  }

  @Test
  void rawNewlineInANonTextKeyIsStillInvalidJson() {
    assertTrue(refused(null, "{\"text\":\"x\",\"username\":\"a\nb\"}").getMessage().startsWith("invalid JSON: "));
  }

  @Test
  void brokenJsonIsRefusedWithTheFirstError() {
    assertTrue(refused(null, "{\"text\": \"unterminated").getMessage().startsWith("invalid JSON: "));
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(strings = {"{}", "{\"username\":\"bot\"}", "{\"text\":\"\"}", "{\"text\":null}",
      "{\"attachments\":null}", "{\"text\":\"\",\"attachments\":null}", "{\"blocks\":null}"})
  void neitherTextNorAttachmentsIsNoTextSpecified(String body) {
    assertEquals("No text specified.", refused("application/json", body).getMessage());
    assertEquals("No text specified.", IncomingHookRequest.NO_TEXT);
  }

  @Test
  void slackBlocksWithoutTextAreContentAndPassUnchanged() {
    String blocks = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Deploy* done\"}},"
        + "{\"type\":\"divider\"}]";
    ChatMessage m = parse("application/json", "{\"blocks\":" + blocks + "}");
    assertEquals("", m.text());
    assertEquals("{\"blocks\":" + blocks + "}", m.encode());
  }

  @Test
  void blocksMustBeAnArrayOfObjects() {
    assertEquals("field 'blocks' must be an array", refused(null, "{\"blocks\":{}}").getMessage());
    assertEquals("field 'blocks' must hold objects", refused(null, "{\"blocks\":[1]}").getMessage());
  }

  @Test
  void emptyAttachmentsArrayPassesAsMattermostDoes() {
    ChatMessage m = parse(null, "{\"attachments\":[]}");
    assertEquals("", m.text());
    assertEquals(0, m.attachments().size());
  }

  @Test
  void alertmanagerPayloadWithOnlyAttachmentsIsAccepted() throws IOException {
    ChatMessage m = parse("application/json", fixture("alertmanager-0.25-slack-firing.json"));
    assertEquals("", m.text());
    assertEquals(1, m.attachments().size());
    assertEquals("[FIRING:1] DiskFull (vm-42 page)", m.attachments().get(0).get("title").asText());
    assertEquals("danger", m.attachments().get(0).get("color").asText());
    ObjectNode json = json(m);
    assertEquals("#ops", json.get("channel").asText());
    assertEquals("Alertmanager", json.get("username").asText());
  }

  @Test
  void resolvedAlertmanagerPayloadIsAcceptedToo() throws IOException {
    ChatMessage m = parse(null, fixture("alertmanager-0.25-slack-resolved.json"));
    assertEquals(1, m.attachments().size());
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"text\":5}                           | field 'text' must be a string",
      "{\"Text\":true}                        | field 'text' must be a string",
      "{\"text\":\"x\",\"username\":[\"a\"]}  | field 'username' must be a string",
      "{\"text\":\"x\",\"channel\":{}}        | field 'channel' must be a string",
      "{\"text\":\"x\",\"props\":\"x\"}       | field 'props' must be an object",
      "{\"text\":\"x\",\"priority\":[]}       | field 'priority' must be an object",
      "{\"text\":\"x\",\"attachments\":{}}    | field 'attachments' must be an array",
      "{\"text\":\"x\",\"attachments\":\"a\"} | field 'attachments' must be an array",
      "{\"text\":\"x\",\"attachments\":[1]}   | field 'attachments' must hold objects",
      "{\"attachments\":[{},\"a\"]}           | field 'attachments' must hold objects",
  })
  void wrongTypeIsRefusedNamingTheField(String body, String message) {
    assertEquals(message, refused("application/json", body).getMessage());
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(strings = {"[]", "[{\"text\":\"x\"}]", "\"text\"", "42", "null", "true"})
  void jsonThatIsNotAnObjectIsRefused(String body) {
    assertEquals("payload must be a JSON object", refused("application/json", body).getMessage());
  }

  @Test
  void hundredAttachmentsAreAccepted() {
    String body = "{\"attachments\":[" + String.join(",", java.util.Collections.nCopies(100, "{\"text\":\"a\"}")) + "]}";
    assertEquals(100, parse(null, body).attachments().size());
  }

  @Test
  void moreThanHundredAttachmentsAreRefused() {
    String body = "{\"attachments\":[" + String.join(",", java.util.Collections.nCopies(101, "{}")) + "]}";
    assertEquals("too many attachments (more than 100)", refused(null, body).getMessage());
  }

  @Test
  void nullKnownFieldsAreDropped() {
    ObjectNode json = json(parse(null, "{\"text\":\"x\",\"username\":null,\"props\":null}"));
    assertFalse(json.has("username"));
    assertFalse(json.has("props"));
  }

  @Test
  void trailingDataAfterTheFirstValueIsIgnoredAsGoDoes() {
    assertEquals("x", parse(null, "{\"text\":\"x\"} trailing").text());
  }

  @Test
  void tooDeepNestingIsRefused() {
    String body = "{\"text\":\"x\",\"props\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}";
    assertTrue(refused(null, body).getMessage().startsWith("invalid JSON: "));
  }

  @ParameterizedTest(name = "[{0}] is a form: {1}")
  @CsvSource(delimiter = '|', value = {
      "application/x-www-form-urlencoded                 | true",
      "Application/X-WWW-Form-Urlencoded ; charset=UTF-8 | true",
      "application/json                                  | false",
      "multipart/form-data; boundary=x                   | false",
      "''                                                | false",
  })
  void formContentTypeIsRecognisedCaseInsensitively(String contentType, boolean form) {
    assertEquals(form, IncomingHookRequest.isForm(contentType));
    assertFalse(IncomingHookRequest.isForm(null));
  }

  @Test
  void longTextWithARawNewlineIsEscapedWithoutExhaustingTheStack() {
    String text = "x".repeat(200_000) + "\n" + "y".repeat(200_000);
    String body = "{\"text\": \"" + text + "\"}";
    ChatMessage m = IncomingHookRequest.parse("application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 256);
    assertEquals(text, m.text());
  }
}
