package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "[{0}] is {1}")
  @CsvSource(delimiter = '|', value = {
      "500ms   | PT0.5S",
      "10s     | PT10S",
      "5m      | PT5M",
      "1h      | PT1H",
      "2d      | PT48H",
      "0s      | PT0S",
      "10 s    | PT10S",
      "' 10s ' | PT10S",
      "5M      | PT5M",
      "10MS    | PT0.01S",
      "PT10S   | PT10S",
      "pt1m30s | PT1M30S",
      "P1D     | PT24H",
      "PT-5S   | PT-5S",
  })
  void opsStyleAndIsoDurationsAreRead(String text, String iso) {
    assertEquals(Duration.parse(iso), Durations.parse(text));
  }

  @ParameterizedTest(name = "[{0}] is not a duration")
  @ValueSource(strings = {"ten", "", "10", "1.5s", "-5s", "10 seconds", "5mm", "s", "1h30m"})
  void otherTextIsNotADuration(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("not a duration", e.getMessage());
  }

  /** The documented contract is IllegalArgumentException for any text that is not a duration. */
  @ParameterizedTest(name = "[{0}] is refused with IllegalArgumentException")
  @ValueSource(strings = {"P", "pt", "PTxS", "99999999999999999999s", "999999999999999999d"})
  void malformedIsoOrOverflowingDurationsAreIllegalArguments(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource({"PT1H, 1h", "PT48H, 48h", "PT5M, 5m", "PT90M, 90m", "PT10S, 10s", "PT90S, 90s",
      "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT0S, 0s"})
  void formatPicksTheLargestExactUnit(String iso, String text) {
    assertEquals(text, Durations.format(Duration.parse(iso)));
  }

  @ParameterizedTest(name = "{0} round-trips")
  @ValueSource(strings = {"500ms", "10s", "5m", "1h", "0s", "1500ms"})
  void formatThenParseRoundTrips(String text) {
    assertEquals(text, Durations.format(Durations.parse(text)));
  }
}
