package dev.hookgate.outbound;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Outbound HTTP that a hostile server cannot hold: each request has an overall deadline (connect,
 * send, status and body together; when it passes the connection is reset), and at most
 * {@code maxBodyBytes} of a response body is read (beyond, the connection is reset, the status
 * stands). No redirects. Used for deliveries to the chat server and for http jobs.
 */
public final class OutboundClient {
  private final Vertx vertx;
  private final HttpClient client;
  private final int maxBodyBytes;

  public OutboundClient(Vertx vertx, Duration connectTimeout, int maxBodyBytes) {
    this.vertx = vertx;
    this.maxBodyBytes = maxBodyBytes;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setKeepAlive(true)
        .setIdleTimeout(60)
        .setVerifyHost(true)
        .setDecompressionSupported(false));
  }

  /**
   * Sends one request; the future never fails: it holds what the server answered, or why nothing
   * was answered within {@code deadline}.
   */
  public Future<Reply> send(HttpMethod method, String url, Map<String, String> headers, Buffer body,
      Duration deadline) {
    Exchange exchange = new Exchange();
    long deadlineMs = Math.max(1, deadline.toMillis());
    long timer = vertx.setTimer(deadlineMs, id -> exchange.deadlinePassed());
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setFollowRedirects(false)
          .setIdleTimeout(deadlineMs).putHeader("user-agent", "hookgate/1");
    } catch (RuntimeException e) {
      vertx.cancelTimer(timer);
      return Future.succeededFuture(new Reply.Unanswered(FailureKind.OTHER));
    }
    headers.forEach(options::putHeader);
    client.request(options)
        .compose(request -> {
          exchange.request = request;
          if (exchange.done.future().isComplete()) {
            request.reset();
          }
          return body == null ? request.send() : request.send(body);
        })
        .onSuccess(exchange::answered)
        .onFailure(e -> exchange.done.tryComplete(new Reply.Unanswered(FailureKind.of(e))));
    return exchange.done.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  public Future<Void> close() {
    return client.close();
  }

  /** One request's state; used on the caller's context only. */
  private final class Exchange {
    final Promise<Reply> done = Promise.promise();
    HttpClientRequest request;
    HttpClientResponse response;
    final Buffer body = Buffer.buffer();

    void answered(HttpClientResponse resp) {
      response = resp;
      if (done.future().isComplete()) {
        return;
      }
      resp.handler(chunk -> {
        if (done.future().isComplete()) {
          return;
        }
        int room = maxBodyBytes - body.length();
        if (chunk.length() > room) {
          body.appendBuffer(chunk, 0, Math.max(0, room));
          finish(false);
          request.reset(); // the rest is not read: the connection is closed
        } else {
          body.appendBuffer(chunk);
        }
      });
      resp.exceptionHandler(e -> finish(false));
      resp.endHandler(v -> finish(true));
    }

    void deadlinePassed() {
      if (done.future().isComplete()) {
        return;
      }
      if (response != null) {
        finish(false);
      } else {
        done.tryComplete(new Reply.Unanswered(FailureKind.TIMEOUT));
      }
      if (request != null) {
        request.reset();
      }
    }

    private void finish(boolean complete) {
      done.tryComplete(new Reply.Answered(response.statusCode(), response.getHeader("retry-after"),
          body.toString(StandardCharsets.UTF_8), complete));
    }
  }
}
