package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code store.kind: postgres} and {@code store.postgres.uri}. */
class StorePostgresConfigTest {
  private static JsonObject withStore(String storeJson) {
    return ConfigParserTest.valid().put("store", new JsonObject(storeJson));
  }

  @Test
  void postgres_is_read_with_its_uri() {
    GatewayConfig c = ConfigParser.parse(withStore(
        "{\"kind\": \"postgres\", \"lease\": \"20s\", \"postgres\": {\"uri\": \"postgresql://hg:pw@db:5432/hookgate\"}}"));
    assertEquals(new StoreConfig("postgres", "data/hookgate.db", Duration.ofSeconds(20),
        "postgresql://hg:pw@db:5432/hookgate"), c.store());
  }

  @Test
  void postgres_writers_default_to_three_and_are_bounded() {
    assertEquals(3, ConfigParser.parse(withStore(
        "{\"kind\": \"postgres\", \"postgres\": {\"uri\": \"postgresql://db/hookgate\"}}")).store().postgresWriters());
    assertEquals(2, ConfigParser.parse(withStore(
        "{\"kind\": \"postgres\", \"postgres\": {\"uri\": \"postgresql://db/hookgate\", \"writers\": 2}}"))
        .store().postgresWriters());
    List<String> problems = ConfigParserTest.problems(withStore(
        "{\"kind\": \"postgres\", \"postgres\": {\"uri\": \"postgresql://db/hookgate\", \"writers\": 0}}"));
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(true, problems.get(0).startsWith("store.postgres.writers: "), problems.get(0));
  }

  @Test
  void sqlite_stays_the_default_without_a_uri() {
    assertEquals(null, ConfigParser.parse(ConfigParserTest.valid()).store().postgresUri());
  }

  @Test
  void postgres_needs_a_uri() {
    assertEquals(List.of("store.postgres.uri: is required"),
        ConfigParserTest.problems(withStore("{\"kind\": \"postgres\"}")));
  }

  @Test
  void a_uri_that_is_not_postgres_is_refused() {
    List<String> problems = ConfigParserTest.problems(withStore(
        "{\"kind\": \"postgres\", \"postgres\": {\"uri\": \"mysql://db/hookgate\"}}"));
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(true, problems.get(0).startsWith("store.postgres.uri: is not a PostgreSQL URI"), problems.get(0));
  }

  @Test
  void unknown_kinds_and_keys_are_refused() {
    assertEquals(List.of("store.kind: \"mongo\" is not supported (sqlite, postgres)"),
        ConfigParserTest.problems(withStore("{\"kind\": \"mongo\"}")));
    assertEquals(List.of("store.postgres.url: unknown key (expected one of uri, writers)", "store.postgres.uri: is required"),
        ConfigParserTest.problems(withStore("{\"kind\": \"postgres\", \"postgres\": {\"url\": \"x\"}}")));
    assertEquals(List.of("store.postgres: is only read with kind: postgres"),
        ConfigParserTest.problems(withStore("{\"postgres\": {\"uri\": \"postgresql://db/hookgate\"}}")));
  }
}
