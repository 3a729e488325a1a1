package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.ResponseUrlConfig.AllowedHost;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseUrlConfigTest {

  @ParameterizedTest(name = "[{0}] → {1}://{2}:{3}")
  @CsvSource(delimiter = '|', value = {
      "team.example.org               | https | team.example.org | -1",
      "Team.Example.ORG               | https | team.example.org | -1",
      "' team.example.org '           | https | team.example.org | -1",
      "team.example.org:8443          | https | team.example.org | 8443",
      "https://team.example.org       | https | team.example.org | -1",
      "https://team.example.org/      | https | team.example.org | -1",
      "http://localhost:8065          | http  | localhost        | 8065",
      "HTTP://LOCALHOST:8065/         | http  | localhost        | 8065",
      "http://127.0.0.1               | http  | 127.0.0.1        | -1",
      "[::1]:8080                     | https | [::1]            | 8080",
      "http://[::1]                   | http  | [::1]            | -1",
  })
  void entriesAreParsedWithHttpsByDefault(String entry, String scheme, String host, int port) {
    assertEquals(new AllowedHost(scheme, host, port), AllowedHost.parse(entry));
  }

  @ParameterizedTest(name = "[{0}] → {1}")
  @CsvSource(delimiter = '|', value = {
      "ftp://team.example.org         | scheme must be http or https",
      "ws://team.example.org          | scheme must be http or https",
      "team.example.org:https         | bad port",
      "team.example.org:              | bad port",
      "team.example.org/hooks         | expected host, host:port or scheme://host[:port]",
      "https://                       | expected host, host:port or scheme://host[:port]",
  })
  void badEntriesAreRefusedWithAReason(String entry, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedHost.parse(entry));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://team.example.org/hooks/commands/s3kfq1w9bjfgfxz8ud5r7hyx1c",
      "https://TEAM.example.org/x", "https://team.example.org:8443/x", "https://team.example.org:443/x",
      "https://team.example.org"})
  void hostEntryAllowsHttpsOnAnyPort(String url) {
    assertTrue(AllowedHost.parse("team.example.org").allows(URI.create(url)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http://team.example.org/x", "https://evil.example.org/x",
      "https://team.example.org.evil.com/x", "https://team.example.org@evil.com/x",
      "https://user@team.example.org/x", "https://user:pass@team.example.org/x", "/hooks/commands/x",
      "team.example.org/x", "mailto:ops@team.example.org"})
  void hostEntryRefusesOtherSchemesHostsAndUserinfo(String url) {
    assertFalse(AllowedHost.parse("team.example.org").allows(URI.create(url)));
  }

  @Test
  void httpEntryWithPortAllowsOnlyThatSchemeAndPort() {
    AllowedHost host = AllowedHost.parse("http://localhost:8065");
    assertTrue(host.allows(URI.create("http://localhost:8065/hooks/commands/abc")));
    assertFalse(host.allows(URI.create("http://localhost:8066/hooks/commands/abc")));
    assertFalse(host.allows(URI.create("http://localhost/hooks/commands/abc")));
    assertFalse(host.allows(URI.create("https://localhost:8065/hooks/commands/abc")));
    assertFalse(host.allows(URI.create("http://admin@localhost:8065/hooks/commands/abc")));
  }

  @Test
  void explicitDefaultPortMatchesAUrlWithoutPort() {
    assertTrue(AllowedHost.parse("team.example.org:443").allows(URI.create("https://team.example.org/x")));
    assertTrue(AllowedHost.parse("http://team.example.org:80").allows(URI.create("http://team.example.org/x")));
    assertFalse(AllowedHost.parse("team.example.org:8443").allows(URI.create("https://team.example.org/x")));
  }

  @Test
  void ipv6EntryMatchesBracketedUrlHost() {
    assertTrue(AllowedHost.parse("http://[::1]:8080").allows(URI.create("http://[::1]:8080/x")));
  }

  @Test
  void configAllowsWhenAnyEntryAllows() {
    ResponseUrlConfig config = new ResponseUrlConfig(
        List.of(AllowedHost.parse("team.example.org"), AllowedHost.parse("http://localhost:8065")), 16383);
    assertTrue(config.allows("https://team.example.org/hooks/commands/x"));
    assertTrue(config.allows("http://localhost:8065/hooks/commands/x"));
    assertFalse(config.allows("http://team.example.org/hooks/commands/x"));
    assertFalse(config.allows("https://169.254.169.254/latest/meta-data"));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "not a url", "https://team.example.org/a b", "https://team.example.org:x/",
      "http://[::1"})
  void unparseableResponseUrlIsRefused(String url) {
    ResponseUrlConfig config = new ResponseUrlConfig(List.of(AllowedHost.parse("team.example.org")), 16383);
    assertFalse(config.allows(url));
  }

  @Test
  void noEntriesAllowNothing() {
    assertFalse(new ResponseUrlConfig(List.of(), 16383).allows("https://team.example.org/x"));
  }
}
