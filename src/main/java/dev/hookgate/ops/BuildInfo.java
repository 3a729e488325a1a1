package dev.hookgate.ops;

/** The version of this build: the jar manifest's {@code Implementation-Version} (set by Maven from the pom). */
public final class BuildInfo {
  /** Reported when the classes do not come from the packaged jar (tests, an IDE). */
  public static final String UNPACKAGED = "dev";

  private BuildInfo() {}

  public static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? UNPACKAGED : v;
  }
}
