package dev.hookgate.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookgate.config.JobSpec;
import dev.hookgate.protocol.ChatJson;
import dev.hookgate.protocol.SafeText;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls an HTTP API: method, URL, headers and body are templates. The response's status, body and
 * JSON (as {@code json.some.field}) feed the reply template. A non-2xx status fails the job.
 */
final class HttpJob {
  private HttpJob() {}

  static Future<JobResult> run(WebClient client, JobSpec.Http spec, Map<String, Object> scope) {
    String url = Templates.render(spec.url(), scope, Templates.Escape.URL);
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JobResult.Failed("the job's URL is not valid", "", Map.of()));
    }
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.valueOf(spec.method()), url)
        .timeout(spec.timeout().toMillis())
        .followRedirects(false);
    spec.headers().forEach((k, v) -> request.putHeader(k, Templates.render(v, scope)));
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = spec.body().isEmpty()
        ? request.send()
        : request.sendBuffer(Buffer.buffer(Templates.render(spec.body(), scope, bodyEscape(spec))));
    return sent.map(response -> {
      String body = response.bodyAsString() == null ? "" : response.bodyAsString();
      Map<String, Object> values = new HashMap<>();
      values.put("status", String.valueOf(response.statusCode()));
      values.put("body", body);
      values.put("output", body);
      values.put("json", jsonValues(body));
      if (response.statusCode() / 100 != 2) {
        return (JobResult) new JobResult.Failed("HTTP " + response.statusCode() + " from " + host,
            abbreviate(SafeText.scrub(body, url)), values);
      }
      return new JobResult.Succeeded(body, values);
    }).recover(e -> Future.succeededFuture(new JobResult.Failed("request to " + host + " failed: "
        + SafeText.failure(e), "", Map.of())));
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
