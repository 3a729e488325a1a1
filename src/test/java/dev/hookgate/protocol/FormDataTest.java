package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FormDataTest {

  private static FormData parse(String encoded) {
    return FormData.parse(encoded, 256);
  }

  @ParameterizedTest(name = "{0} decodes to [{1}]")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "text=hello+world          | hello world",
      "text=a%20b                | a b",
      "text=a%2Bb                | a+b",
      "text=%2Freport            | /report",
      "text=x%3Dy%26z            | x=y&z",
      "text=weekly++--format%3Dcsv | weekly  --format=csv",
      "text=%e2%9c%93            | \u2713",
      "text=%E2%9C%93            | \u2713",
      "text=%F0%9F%98%80         | \uD83D\uDE00",
      "text=caf%C3%A9            | caf\u00e9",
      "text=%25                  | %",
  })
  void valuesAreDecodedAsGoUrlValuesDoes(String encoded, String expected) {
    assertEquals(Optional.of(expected), parse(encoded).first("text"));
  }

  @Test
  void percentEncodedNewlineBecomesANewline() {
    assertEquals(Optional.of("a\nb\r\nc"), parse("text=a%0Ab%0D%0Ac").first("text"));
  }

  @Test
  void emptyTextFieldIsAnEmptyString() {
    FormData form = parse("command=%2Fx&text=&user_id=u");
    assertEquals(Optional.of(""), form.first("text"));
  }

  @Test
  void keyWithoutEqualsSignHasAnEmptyValue() {
    FormData form = parse("flag&text=x");
    assertEquals(Optional.of(""), form.first("flag"));
    assertEquals(Optional.of("x"), form.first("text"));
  }

  @Test
  void absentFieldIsEmpty() {
    FormData form = parse("a=1");
    assertEquals(Optional.empty(), form.first("b"));
    assertFalse(form.firstValues().containsKey("b"));
  }

  @Test
  void ofARepeatedKeyTheFirstValueIsReadInTheOrderOfFirstAppearance() {
    FormData form = parse("user_mentions=alice&text=hi&user_mentions=bob&user_mentions=");
    assertEquals(Optional.of("alice"), form.first("user_mentions"));
    assertEquals(List.of("user_mentions", "text"), List.copyOf(form.firstValues().keySet()));
  }

  @Test
  void firstValuesKeepOrderOfFirstAppearance() {
    FormData form = parse("b=1&a=2&b=3&c=4");
    Map<String, String> first = form.firstValues();
    assertEquals(List.of("b", "a", "c"), List.copyOf(first.keySet()));
    assertEquals("1", first.get("b"));
    assertThrows(UnsupportedOperationException.class, () -> first.put("d", "5"));
  }

  @Test
  void keysAreDecodedToo() {
    FormData form = parse("my+key%21=v");
    assertEquals(Optional.of("v"), form.first("my key!"));
  }

  @Test
  void valueMayContainEqualsSigns() {
    assertEquals(Optional.of("a=b=c"), parse("x=a=b=c").first("x"));
  }

  @Test
  void emptyPairsAreSkipped() {
    FormData form = parse("&&a=1&&b=2&");
    assertEquals(List.of("a", "b"), List.copyOf(form.firstValues().keySet()));
  }

  @Test
  void nullOrEmptyBodyIsAnEmptyForm() {
    assertTrue(parse("").firstValues().isEmpty());
    assertTrue(FormData.parse((String) null, 10).firstValues().isEmpty());
    assertTrue(FormData.parse(new byte[0], 10).firstValues().isEmpty());
  }

  @Test
  void rawNonAsciiCharactersArePassedThrough() {
    assertEquals(Optional.of("caf\u00e9 \uD83D\uDE00"), parse("t=caf\u00e9+\uD83D\uDE00").first("t"));
  }

  @ParameterizedTest(name = "[{0}] is a bad escape")
  @ValueSource(strings = {"text=%", "text=%4", "text=%zz", "text=%4g", "text=abc%", "text=ab%2", "%=x", "te%xt=1"})
  void badPercentEscapeIsAMalformedRequest(String encoded) {
    MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> parse(encoded));
    assertEquals("invalid percent-escape in form body", e.getMessage());
  }

  @ParameterizedTest(name = "[{0}] is not UTF-8")
  @ValueSource(strings = {"text=%FF", "text=%C3", "text=%C3%28", "text=%ED%A0%80", "text=%C0%AF"})
  void escapedBytesThatAreNotUtf8AreAMalformedRequest(String encoded) {
    MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> parse(encoded));
    assertEquals("form field is not valid UTF-8", e.getMessage());
  }

  @Test
  void bodyBytesThatAreNotUtf8AreAMalformedRequest() {
    byte[] body = {'t', '=', (byte) 0xC3, (byte) 0x28};
    MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> FormData.parse(body, 10));
    assertEquals("form body is not valid UTF-8", e.getMessage());
  }

  @Test
  void utf8BodyBytesAreDecoded() {
    byte[] body = "t=caf\u00e9&u=%C3%A9".getBytes(StandardCharsets.UTF_8);
    FormData form = FormData.parse(body, 10);
    assertEquals(Optional.of("caf\u00e9"), form.first("t"));
    assertEquals(Optional.of("\u00e9"), form.first("u"));
  }

  @Test
  void exactlyMaxFieldsIsAccepted() {
    FormData form = FormData.parse("a=1&b=2&a=3", 3);
    assertEquals(Map.of("a", "1", "b", "2"), form.firstValues());
  }

  @Test
  void moreThanMaxFieldsIsAMalformedRequest() {
    MalformedRequestException e =
        assertThrows(MalformedRequestException.class, () -> FormData.parse("a=1&b=2&a=3&c=4", 3));
    assertEquals("too many form fields (more than 3)", e.getMessage());
  }

  @Test
  void emptyPairsDoNotCountTowardsMaxFields() {
    assertEquals(Optional.of("2"), FormData.parse("a=1&&&&b=2", 2).first("b"));
  }
}
