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
    assertEquals(Optional.of(token), TokenCheck.presented(header));
  }

  @ParameterizedTest(name = "[{0}] presents nothing")
  @NullSource
  @ValueSource(strings = {"", "Token", "Basic dXNlcjpwYXNz", "Tokenabc", " ", "Token "})
  void headerWithoutAUsableSchemePresentsNoToken(String header) {
    assertEquals(Optional.empty(), TokenCheck.presented(header));
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
