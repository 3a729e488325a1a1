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
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Outbound HTTP that a hostile server cannot hold and that cannot duplicate a request by itself.
 *
 * <p>Two clocks per request: the wait for a connection of the pool ({@code maxConnectionsPerHost}
 * per host, the waiters bounded) is bounded by the deadline; a request that got none was never
 * written, and says so ({@link FailureKind#NOT_SENT}). The deadline itself starts when the request
 * is written: send, status and body together; when it passes, the connection is closed (never a
 * stream reset). At most {@code maxBodyBytes} of a response body is read (beyond, the connection is
 * closed, the status stands). No redirects. Used for deliveries to the chat server and for http jobs.
 *
 * <p>Built on the core {@link HttpClient}, not on vertx-web-client: the web client's timeout is an
 * idle timeout, it reads a whole body before handing it over, and it gives no hold on the
 * connection to close it at a deadline.
 */
public final class OutboundClient {
  /** Connections per host when the config does not say: replies to one chat server do not queue behind 5. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 32;
  /** Requests waiting for a connection, across hosts; beyond, a request fails at once (not sent). */
  static final int MAX_WAITING = 10_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final int maxBodyBytes;

  public OutboundClient(Vertx vertx, Duration connectTimeout, int maxBodyBytes) {
    this(vertx, connectTimeout, maxBodyBytes, DEFAULT_MAX_CONNECTIONS_PER_HOST);
  }

  public OutboundClient(Vertx vertx, Duration connectTimeout, int maxBodyBytes, int maxConnectionsPerHost) {
    this.vertx = vertx;
    this.maxBodyBytes = maxBodyBytes;
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setKeepAlive(true)
            .setIdleTimeout(60)
            .setVerifyHost(true)
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(maxConnectionsPerHost).setMaxWaitQueueSize(MAX_WAITING));
  }

  /**
   * Sends one request; the future never fails: it holds what the server answered, or why nothing
   * was answered. {@code deadline} bounds the wait for a connection, and again the exchange from
   * the moment the request is written.
   */
  public Future<Reply> send(HttpMethod method, String url, Map<String, String> headers, Buffer body,
      Duration deadline) {
    long deadlineMs = Math.max(1, deadline.toMillis());
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setFollowRedirects(false)
          .setConnectTimeout(deadlineMs) // the wait for a pooled connection (TCP connect included)
          .setIdleTimeout(deadlineMs).putHeader("user-agent", "hookgate/1");
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Reply.Unanswered(FailureKind.NOT_SENT));
    }
    headers.forEach(options::putHeader);
    Exchange exchange = new Exchange();
    client.request(options).onComplete(got -> {
      if (got.failed()) { // no connection: the request was never written
        exchange.done.tryComplete(new Reply.Unanswered(FailureKind.notSent(got.cause())));
        return;
      }
      HttpClientRequest request = got.result();
      exchange.request = request;
      long timer = vertx.setTimer(deadlineMs, id -> exchange.deadlinePassed());
      exchange.done.future().onComplete(r -> vertx.cancelTimer(timer));
      request.exceptionHandler(e -> exchange.done.tryComplete(new Reply.Unanswered(FailureKind.of(e))));
      (body == null ? request.send() : request.send(body))
          .onSuccess(exchange::answered)
          .onFailure(e -> exchange.done.tryComplete(new Reply.Unanswered(FailureKind.of(e))));
    });
    return exchange.done.future();
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
          closeConnection(); // the rest is not read
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
      closeConnection();
    }

    /** Closes the connection (HTTP/1.1: the only way to abandon an exchange) without a reset logged as an error. */
    private void closeConnection() {
      if (request != null && request.connection() != null) {
        request.connection().close();
      }
    }

    private void finish(boolean complete) {
      done.tryComplete(new Reply.Answered(response.statusCode(), response.getHeader("retry-after"),
          body.toString(StandardCharsets.UTF_8), complete, RateLimitHeaders.of(response::getHeader)));
    }
  }
}
