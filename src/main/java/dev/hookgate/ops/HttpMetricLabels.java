package dev.hookgate.ops;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Map;

/**
 * The labels of Vert.x's own meters, each from a closed set. Vert.x labels HTTP server requests with
 * their method as sent, and any token is a method: a client inventing methods would add a series per
 * method, without bound, until the heap is full. Here the server's {@code method} label is one of the
 * methods the router serves, every other as {@code other}; no label comes from a path, a key, a
 * header or any other client-chosen value (Vert.x's path label stays off).
 */
public final class HttpMetricLabels {
  /** The methods the router answers (by their label); every other method of a request is labelled {@code other}. */
  static final String OTHER = "other";
  private static final Map<String, Tags> TAGS = Map.of("GET", tags("GET"), "POST", tags("POST"), "HEAD", tags("HEAD"));
  private static final Tags OTHER_TAGS = tags(OTHER);

  private HttpMetricLabels() {}

  /** Vert.x's default labels less the method, which {@link #serverTags}/{@link #clientTags} give from a closed set. */
  public static MicrometerMetricsOptions apply(MicrometerMetricsOptions options) {
    EnumSet<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.remove(Label.HTTP_METHOD);
    labels.remove(Label.HTTP_PATH);
    return options.setLabels(labels)
        .setServerRequestTagsProvider(HttpMetricLabels::serverTags)
        .setClientRequestTagsProvider(HttpMetricLabels::clientTags);
  }

  static Iterable<Tag> serverTags(HttpRequest request) {
    return TAGS.getOrDefault(request.method().name(), OTHER_TAGS);
  }

  /** The gateway's own outbound requests: methods from the config (http jobs) or the code, a closed set. */
  static Iterable<Tag> clientTags(HttpRequest request) {
    return Tags.of(Label.HTTP_METHOD.toString(), request.method().name());
  }

  private static Tags tags(String method) {
    return Tags.of(Label.HTTP_METHOD.toString(), method);
  }
}
