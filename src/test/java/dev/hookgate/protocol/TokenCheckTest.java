package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCheckTest {

  @ParameterizedTest(name = "[{0}] presents [{1}]")
  @CsvSource(delimiter = '|', value = {
      "Token xdt3bq8kyjgbxfyhsnd4c1nqwe   | xdt3bq8kyjgbxfyhsnd4c1nqwe",
      "Bearer abc                         | abc",
      "token abc                          | abc",
      "BEARER abc                         | abc",
      "'  Token   abc  '                  | abc",
  })
  void authorizationHeaderWithTokenOrBearerSchemeIsRead(String header, String token) {
    assertEquals(Optional.of(token), TokenCheck.presented(header, Optional.empty()));
  }

  @Test
  void headerWinsOverFormToken() {
    assertEquals(Optional.of("from-header"), TokenCheck.presented("Token from-header", Optional.of("from-form")));
    assertEquals(Optional.of("from-header"), TokenCheck.presented("Bearer from-header", Optional.of("from-form")));
  }

  @Test
  void formTokenIsUsedWithoutHeader() {
    assertEquals(Optional.of("from-form"), TokenCheck.presented(null, Optional.of("from-form")));
  }

  @ParameterizedTest(name = "[{0}] falls back to the form token")
  @NullSource
  @ValueSource(strings = {"", "Token", "Basic dXNlcjpwYXNz", "Tokenabc", " ", "Token "})
  void headerWithoutAUsableSchemeFallsBackToTheFormToken(String header) {
    assertEquals(Optional.of("form"), TokenCheck.presented(header, Optional.of("form")));
  }

  @Test
  void noTokenAnywhereIsEmpty() {
    assertEquals(Optional.empty(), TokenCheck.presented(null, Optional.empty()));
    assertEquals(Optional.empty(), TokenCheck.presented("Basic x", Optional.empty()));
  }

  @Test
  void emptyFormTokenIsNoToken() {
    assertEquals(Optional.empty(), TokenCheck.presented(null, Optional.of("")));
  }

  @Test
  void equalTokensMatch() {
    assertTrue(TokenCheck.matches("xdt3bq8kyjgbxfyhsnd4c1nqwe", "xdt3bq8kyjgbxfyhsnd4c1nqwe"));
    assertTrue(TokenCheck.matches("caf\u00e9-\uD83D\uDE00", "caf\u00e9-\uD83D\uDE00"));
  }

  @ParameterizedTest(name = "[{0}] does not match")
  @ValueSource(strings = {"xdt3bq8kyjgbxfyhsnd4c1nqwf", "xdt3bq8kyjgbxfyhsnd4c1nqw", "xdt3bq8kyjgbxfyhsnd4c1nqwee",
      "XDT3BQ8KYJGBXFYHSND4C1NQWE", "", " xdt3bq8kyjgbxfyhsnd4c1nqwe"})
  void differentTokensDoNotMatch(String presented) {
    assertFalse(TokenCheck.matches("xdt3bq8kyjgbxfyhsnd4c1nqwe", presented));
  }

  @Test
  void nullNeverMatches() {
    assertFalse(TokenCheck.matches(null, "x"));
    assertFalse(TokenCheck.matches("x", null));
    assertFalse(TokenCheck.matches(null, null));
  }
}
