package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlashCommandTest {
  /** Copies of shared/fixtures, kept in the repository so that the tests run anywhere. */
  static final Path FIXTURES = dev.hookgate.Fixtures.DIR;

  /** The request of the fixture, split at the blank line: header lines, then the body bytes. */
  static String[] fixtureRequest() throws IOException {
    String http = Files.readString(FIXTURES.resolve("mattermost-slash-command-post.http"), StandardCharsets.UTF_8);
    int blank = http.indexOf("\r\n\r\n");
    return new String[] {http.substring(0, blank), http.substring(blank + 4)};
  }

  static String fixtureBody() throws IOException {
    return fixtureRequest()[1];
  }

  @Test
  void mattermostFixtureIsReadFieldByField() throws IOException {
    SlashCommand cmd = SlashCommand.from(FormData.parse(fixtureBody().getBytes(StandardCharsets.UTF_8), 256));
    assertEquals("https://team.example.org/hooks/commands/s3kfq1w9bjfgfxz8ud5r7hyx1c", cmd.responseUrl());
    assertEquals("ufq7h5ny5jgfxmjbuhbwcd3qke", cmd.userId());
    Map<String, String> f = cmd.fields();
    assertEquals("/report", f.get("command"));
    assertEquals("weekly  --format=csv\nsecond line", f.get("text"));
    assertEquals("8rcddx9aqbfyzdqyo3pjbb1rrc", f.get("team_id"));
    assertEquals("picasoft", f.get("team_domain"));
    assertEquals("4xp9fdt8cbn8pjqzhpq7b8w4aa", f.get("channel_id"));
    assertEquals("town-square", f.get("channel_name"));
    assertEquals("quentin", f.get("user_name"));
    assertEquals("MTAwMDpxNWd0dWFmNm5mZ2ptcmR1N2o0Z3I0ZHo5dzoxNzY0MzE2ODAwMDAwOk1FWUNJUUM=", f.get("trigger_id"));
  }

  @Test
  void fieldsKeepEverythingButTheToken() throws IOException {
    SlashCommand cmd = SlashCommand.from(FormData.parse(fixtureBody(), 256));
    assertFalse(cmd.fields().containsKey("token"));
    assertEquals(10, cmd.fields().size());
    assertEquals("weekly  --format=csv\nsecond line", cmd.fields().get("text"));
    assertEquals("picasoft", cmd.fields().get("team_domain"));
  }

  @Test
  void fixtureTokenIsTheOneOfTheFormAndOfTheHeader() throws IOException {
    String[] request = fixtureRequest();
    String header = request[0].lines().filter(l -> l.startsWith("Authorization: "))
        .findFirst().orElseThrow().substring("Authorization: ".length());
    FormData form = FormData.parse(request[1], 256);
    assertEquals(Optional.of("xdt3bq8kyjgbxfyhsnd4c1nqwe"), TokenCheck.presented(header));
    assertEquals(Optional.of("xdt3bq8kyjgbxfyhsnd4c1nqwe"), form.first("token"));
  }

  @Test
  void onlyTheFieldsReceivedAreKept() {
    SlashCommand cmd = SlashCommand.from(FormData.parse("response_url=https%3A%2F%2Fx&user_id=u&channel_id=c", 16));
    assertEquals(Map.of("response_url", "https://x", "user_id", "u", "channel_id", "c"), cmd.fields());
  }

  @Test
  void emptyTextIsAnEmptyString() {
    SlashCommand cmd = SlashCommand.from(FormData.parse("text=&response_url=r&user_id=u&channel_id=c", 16));
    assertEquals("", cmd.fields().get("text"));
  }

  @ParameterizedTest(name = "[{0}] → {1}")
  @CsvSource(delimiter = '|', value = {
      "user_id=u&channel_id=c                         | missing form field: response_url",
      "response_url=r&channel_id=c                    | missing form field: user_id",
      "response_url=r&user_id=u                       | missing form field: channel_id",
      "channel_id=c                                   | missing form fields: response_url, user_id",
      "text=hello                                     | missing form fields: response_url, user_id, channel_id",
      "response_url=&user_id=+&channel_id=c           | missing form fields: response_url, user_id",
  })
  void missingRequiredFieldsAreEachNamed(String body, String message) {
    MalformedRequestException e =
        assertThrows(MalformedRequestException.class, () -> SlashCommand.from(FormData.parse(body, 16)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void requiredFieldsAreTheOnesTheGatewayNeeds() {
    assertEquals(List.of("response_url", "user_id", "channel_id"), SlashCommand.REQUIRED);
  }

  @Test
  void fieldsMapIsACopy() {
    java.util.HashMap<String, String> fields = new java.util.HashMap<>(Map.of("a", "1"));
    SlashCommand cmd = new SlashCommand("r", "u", fields);
    fields.put("b", "2");
    assertEquals(Map.of("a", "1"), cmd.fields());
    assertThrows(UnsupportedOperationException.class, () -> cmd.fields().put("c", "3"));
  }
}
