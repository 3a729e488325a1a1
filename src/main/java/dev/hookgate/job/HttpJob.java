package dev.hookgate.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookgate.config.JobSpec;
import dev.hookgate.protocol.ChatJson;
import dev.hookgate.protocol.SafeText;
import dev.hookgate.outbound.OutboundClient;
import dev.hookgate.outbound.Reply;
import dev.hookgate.outbound.RequestSecrets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls an HTTP API: method, URL, headers and body are templates. The response's status, body and
 * JSON (as {@code json.some.field}) feed the reply template. A non-2xx status fails the job. At
 * most {@link #MAX_RESPONSE_BYTES} of the answer are read, all within the job's timeout.
 */
final class HttpJob {
  /** An API's answer is read up to this size (a post is at most 16,383 characters anyway). */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private HttpJob() {}

  static Future<JobResult> run(OutboundClient client, JobSpec.Http spec, Map<String, Object> scope) {
    String url = withoutDotSegments(Templates.render(spec.url(), scope, Templates.Escape.URL));
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JobResult.Failed("the job's URL is not valid", "", Map.of()));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    spec.headers().forEach((k, v) -> headers.put(k, Templates.render(v, scope)));
    String renderedBody = spec.body().isEmpty() ? null : Templates.render(spec.body(), scope, bodyEscape(spec));
    Buffer requestBody = renderedBody == null ? null : Buffer.buffer(renderedBody);
    // an API's error body may echo the request: its header and body values are never shown
    RequestSecrets secrets = RequestSecrets.of(headers.values(), renderedBody);
    return client.send(HttpMethod.valueOf(spec.method()), url, headers, requestBody, spec.timeout()).map(reply -> {
      if (reply instanceof Reply.Unanswered u) {
        return new JobResult.Failed("request to " + host + " failed: " + u.kind().phrase(), "", Map.of());
      }
      Reply.Answered response = (Reply.Answered) reply;
      String body = response.body();
      Map<String, Object> values = new HashMap<>();
      values.put("status", String.valueOf(response.status()));
      values.put("body", body);
      values.put("output", body);
      values.put("json", jsonValues(body));
      if (response.status() / 100 != 2) {
        return new JobResult.Failed("HTTP " + response.status() + " from " + host,
            abbreviate(secrets.mask(SafeText.scrub(body, url))), Map.of());
      }
      if (!response.complete()) {
        return new JobResult.Failed("the answer from " + host + " was larger than " + MAX_RESPONSE_BYTES / 1024
            + " KiB or slower than the job's timeout", "", Map.of());
      }
      return new JobResult.Succeeded(body, values);
    });
  }

  /**
   * The URL with every {@code .} or {@code ..} path segment percent-encoded: a template value of
   * {@code ..} (URL escaping leaves dots alone) cannot climb out of the configured path.
   */
  static String withoutDotSegments(String url) {
    int scheme = url.indexOf("://");
    int pathStart = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    if (pathStart < 0) {
      return url;
    }
    int pathEnd = url.length();
    for (char c : new char[] {'?', '#'}) {
      int i = url.indexOf(c, pathStart);
      if (i >= 0) {
        pathEnd = Math.min(pathEnd, i);
      }
    }
    String[] segments = url.substring(pathStart, pathEnd).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].equals(".") || segments[i].equals("..")) {
        segments[i] = segments[i].replace(".", "%2E");
      }
    }
    return url.substring(0, pathStart) + String.join("/", segments) + url.substring(pathEnd);
  }

  /** A JSON body (by its Content-Type header) gets JSON string escaping; any other body none. */
  private static Templates.Escape bodyEscape(JobSpec.Http spec) {
    return spec.headers().entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-type")
        && h.getValue().toLowerCase(java.util.Locale.ROOT).contains("json")) ? Templates.Escape.JSON : Templates.Escape.NONE;
  }

  /** The JSON body as maps and lists that Mustache walks ({@code {{json.a.b}}}); empty when not JSON. */
  private static Object jsonValues(String body) {
    try {
      JsonNode node = ChatJson.parse(body);
      return ChatJson.MAPPER.convertValue(node, Object.class);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}
