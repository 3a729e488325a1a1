package dev.hookgate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real payloads of shared/fixtures, copied into src/test/resources/fixtures so that tests run anywhere. */
public final class Fixtures {
  public static final Path DIR = Path.of(System.getProperty("hookgate.fixtures", "src/test/resources/fixtures"));

  private Fixtures() {}

  public static String read(String name) throws IOException {
    return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
  }
}
