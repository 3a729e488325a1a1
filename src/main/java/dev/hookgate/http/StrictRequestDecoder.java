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
 * {@code Content-Length} and {@code Transfer-Encoding}, or a {@code Transfer-Encoding} other than
 * exactly {@code chunked}, is invalid (Vert.x answers 400 and closes the connection), where Netty
 * would drop the {@code Content-Length} and go on; a malformed chunk gets 400 and the connection
 * closed, where Netty would end the request silently. Either way nothing after the refused request is
 * decoded, not even bytes of the same TCP segment: no request can be smuggled behind it.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);
  private static final String NAME = "httpDecoder"; // Vert.x's name for its decoder in the pipeline

  /** The path of the request being decoded, for the shape of an error answered from here. */
  private String path = "";
  /** A request's framing was refused: the connection closes, and nothing more is decoded from it. */
  private boolean refused;

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
    if (refused) {
      buffer.skipBytes(buffer.readableBytes()); // the connection is closing: nothing after a refusal is read
      return;
    }
    int from = out.size();
    super.decode(ctx, buffer, out);
    for (int i = from; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest req) {
        path = req.uri();
        if (req.decoderResult().isSuccess() && ambiguousLength(req)) {
          req.setDecoderResult(DecoderResult.failure(
              new IllegalArgumentException("Transfer-Encoding other than chunked, or with Content-Length")));
        }
        if (req.decoderResult().isFailure()) {
          // as Netty does with a message it cannot decode: the request goes on alone (Vert.x answers
          // 400 and closes), and neither its body nor any request pipelined behind it is decoded
          dropFrom(out, i + 1);
          refuse(buffer);
          return;
        }
      } else if (o instanceof HttpContent content && content.decoderResult().isFailure()) {
        dropFrom(out, i);
        refuse(buffer);
        refuseMalformedChunk(ctx);
        return;
      }
    }
  }

  private void refuse(ByteBuf buffer) {
    refused = true;
    buffer.skipBytes(buffer.readableBytes());
  }

  private static void dropFrom(List<Object> out, int from) {
    for (int j = out.size() - 1; j >= from; j--) {
      ReferenceCountUtil.release(out.remove(j));
    }
  }

  /** Framing other than a Content-Length alone or {@code Transfer-Encoding: chunked} alone (one header, one coding). */
  private static boolean ambiguousLength(HttpRequest req) {
    var headers = req.headers();
    if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return false;
    }
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    return headers.contains(HttpHeaderNames.CONTENT_LENGTH) || codings.size() != 1
        || !codings.get(0).trim().equalsIgnoreCase("chunked");
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
