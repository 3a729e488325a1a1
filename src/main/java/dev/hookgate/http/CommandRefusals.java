package dev.hookgate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines of refused slash commands that nothing else logs: a malformed request (400), a wrong
 * content type (415), a body too large (413), a URL that names no command (404). One WARN line each,
 * rate-limited per command like the relay's ({@link RefusalLog}); the unknown commands share one
 * allowance. 401, 403, 429 and 503 are logged where they are decided. One per Vert.x instance, shared
 * by the HTTP verticles (a lock around the pure {@link RefusalLog}: refusals are rare).
 */
final class CommandRefusals implements io.vertx.core.shareddata.Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRefusals.class);
  static final Set<Integer> LOGGED_HERE = Set.of(400, 404, 413, 415);
  private static final int MAX_PATH_CHARS = 80;

  private final RefusalLog refusals;

  CommandRefusals(LongSupplier clock) {
    this.refusals = new RefusalLog(clock, "refused ");
  }

  /** The first handler of the command routes: logs the answer, if a refusal, once it is sent. */
  void watch(RoutingContext ctx) {
    ctx.addEndHandler(v -> {
      int status = ctx.response().getStatusCode();
      if (!LOGGED_HERE.contains(status)) {
        return;
      }
      String reason = Exchange.of(ctx).refusal().orElse("refused");
      String producer = status == 404 ? "a command at an unknown URL" : "command /" + ctx.pathParam("name");
      if (status == 404) {
        reason += " (" + printable(LogText.path(ctx)) + ")";
      }
      java.util.Optional<String> logged;
      synchronized (refusals) {
        logged = refusals.line(printable(producer), status, reason);
      }
      logged.ifPresent(line -> LOG.warn("{} (from {})", line, ctx.request().remoteAddress()));
    });
    ctx.next();
  }

  /** A path as typed by anyone: control characters replaced, cut to {@value #MAX_PATH_CHARS} characters. */
  static String printable(String text) {
    String cut = text == null ? "" : text.length() > MAX_PATH_CHARS ? text.substring(0, MAX_PATH_CHARS) + "…" : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
