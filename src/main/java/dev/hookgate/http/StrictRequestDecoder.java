package dev.hookgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's HTTP/1.x request decoder, strict about message framing (RFC 9112 §6): a request with both
 * {@code Content-Length} and {@code Transfer-Encoding}, or a {@code Transfer-Encoding} whose last
 * coding is not {@code chunked}, is invalid (Vert.x answers 400 and closes the connection), where
 * Netty would drop the {@code Content-Length} and go on; a malformed chunk gets 400 and the
 * connection closed, where Netty would end the request silently. Either way nothing is left on the
 * connection that another request could be smuggled in.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);
  private static final String NAME = "httpDecoder"; // Vert.x's name for its decoder in the pipeline

  /** The path of the request being decoded, for the shape of an error answered from here. */
  private String path = "";

  private StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Replaces Vert.x's decoder on a new HTTP/1.x connection, before any request is read. */
  static void install(HttpConnection conn, HttpServerOptions options) {
    if (conn instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(NAME) instanceof VertxHttpRequestDecoder) {
        pipeline.replace(NAME, NAME, new StrictRequestDecoder(options));
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(
        new IllegalArgumentException("Content-Length and Transfer-Encoding in one request")));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int from = out.size();
    super.decode(ctx, buffer, out);
    for (int i = from; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest req) {
        path = req.uri();
        if (req.decoderResult().isSuccess() && ambiguousLength(req)) {
          req.setDecoderResult(DecoderResult.failure(
              new IllegalArgumentException("Transfer-Encoding not ending in chunked, or with Content-Length")));
        }
      } else if (o instanceof HttpContent content && content.decoderResult().isFailure()) {
        for (int j = out.size() - 1; j >= i; j--) {
          ReferenceCountUtil.release(out.remove(j));
        }
        refuseMalformedChunk(ctx);
        return;
      }
    }
  }

  private static boolean ambiguousLength(HttpRequest req) {
    var headers = req.headers();
    return headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
        && (headers.contains(HttpHeaderNames.CONTENT_LENGTH) || !HttpUtil.isTransferEncodingChunked(req));
  }

  /** 400 written here (the request is already with the router, which never sees its body end), then close. */
  private void refuseMalformedChunk(ChannelHandlerContext ctx) {
    LOG.info("closing a connection from {}: malformed chunked body ({})", ctx.channel().remoteAddress(),
        LogText.maskedPath(path));
    byte[] body = ErrorReplies.body(path, 400, "bad_request", "malformed chunked request body")
        .getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: " + body.length
        + "\r\nconnection: close\r\n\r\n";
    ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
