package dev.hookgate.http;

import dev.hookgate.Services;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.job.Templates;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.FormData;
import dev.hookgate.protocol.MalformedRequestException;
import dev.hookgate.protocol.SlackSignature;
import dev.hookgate.protocol.SlashCommand;
import dev.hookgate.store.EnqueueResult;
import dev.hookgate.store.NewJob;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.job.JobIds;
import dev.hookgate.job.JobLauncher;
import dev.hookgate.store.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST|GET /commands/{name}}: checks the token, queues the job durably, answers the
 * ephemeral ack at once. The job runs later on a worker; its result goes through the response_url.
 */
final class CommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

  private final Services services;
  private final AuthThrottleGuard throttle;
  /** "jobs already queued": a line per command up to 5 a minute, then counted (a burst would flood the log). */
  private final RefusalLog refusals;

  CommandHandler(Services services, AuthThrottleGuard throttle) {
    this.services = services;
    this.throttle = throttle;
    this.refusals = new RefusalLog(services.clock()::millis);
  }

  void handle(RoutingContext ctx) {
    GatewayConfig config = Exchange.of(ctx).config();
    String name = ctx.pathParam("name");
    CommandConfig command = config.commands().get(name);
    if (command == null) {
      services.metrics().command("unknown", "unknown_command");
      ErrorReplies.send(ctx, 404, "unknown_command", "no command is configured at this URL");
      return;
    }
    FormData form;
    try {
      form = readForm(ctx, config.http().maxFormFields());
    } catch (MalformedRequestException e) {
      services.metrics().command(name, "bad_request");
      boolean mediaType = e.kind() == MalformedRequestException.Kind.UNSUPPORTED_MEDIA_TYPE;
      ErrorReplies.send(ctx, mediaType ? 415 : 400, mediaType ? "unsupported_media_type" : "bad_request",
          e.getMessage());
      return;
    }
    if (form.first("ssl_check").filter("1"::equals).isPresent()) {
      ctx.response().setStatusCode(200).end(); // Slack's certificate probe
      return;
    }
    Optional<String> refusal = authenticate(ctx, command, form);
    if (!throttle.admit(ctx, refusal.isEmpty())) {
      services.metrics().command(name, "throttled");
      return;
    }
    if (refusal.isPresent()) {
      LOG.warn("command {} refused: {} (from {})", name, refusal.get(), ctx.request().remoteAddress());
      services.metrics().command(name, "unauthorized");
      ErrorReplies.send(ctx, 401, "unauthorized", refusal.get());
      return;
    }
    String team = form.first("team_id").orElse("");
    if (!command.teamIds().isEmpty() && !command.teamIds().contains(team)) {
      LOG.warn("command {} refused: team {} is not allowed", name, team);
      services.metrics().command(name, "forbidden");
      ErrorReplies.send(ctx, 403, "forbidden", "this command is not enabled for this team");
      return;
    }
    SlashCommand cmd;
    try {
      cmd = SlashCommand.from(form);
    } catch (MalformedRequestException e) {
      services.metrics().command(name, "bad_request");
      ErrorReplies.send(ctx, 400, "bad_request", e.getMessage());
      return;
    }
    if (!config.responseUrl().allows(cmd.responseUrl())) {
      LOG.warn("command {} refused: response_url host not allowed (user {})", name, cmd.userId());
      services.metrics().command(name, "response_url_not_allowed");
      replyEphemeral(ctx, "hookgate cannot answer this command: its response_url points to a host that is not "
          + "in response-url.allowed-hosts. Ask the gateway's operator to allow the chat server's address.");
      return;
    }
    enqueue(ctx, command, cmd);
  }

  /** Empty when the request is authentic for the command; otherwise why not. */
  private Optional<String> authenticate(RoutingContext ctx, CommandConfig command, FormData form) {
    byte[] signed = ctx.request().method() == HttpMethod.GET
        ? ctx.request().query() == null ? new byte[0] : ctx.request().query().getBytes(StandardCharsets.UTF_8)
        : rawBody(ctx);
    return new CommandCredentials(ctx.request().getHeader(SlackSignature.SIGNATURE_HEADER),
        ctx.request().getHeader(SlackSignature.TIMESTAMP_HEADER), ctx.request().getHeader("Authorization"),
        form.first("token"), signed).refusal(command, services.now() / 1000);
  }

  private static byte[] rawBody(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  /**
   * Stores the job (the ack's one write) and answers the ack once it is committed. With a worker
   * slot free here for the command, the job is stored running, leased to this node, and starts from
   * memory at once; otherwise it is queued for a claim.
   */
  private void enqueue(RoutingContext ctx, CommandConfig command, SlashCommand cmd) {
    long now = services.now();
    String jobId = JobIds.next(now);
    NewJob job = new NewJob(jobId, command.name(), cmd.fields(), cmd.responseUrl(), now);
    JobLauncher launcher = services.jobs();
    boolean slot = launcher.reserve(jobId, command);
    Lease lease = slot ? new Lease(services.nodeId(), now + Exchange.of(ctx).config().store().lease().toMillis()) : null;
    services.jobQueue().enqueueJob(job, command.maxQueued(), lease)
        .onSuccess(result -> {
          if (result instanceof EnqueueResult.Started started) {
            launcher.start(started.job());
          } else if (slot) {
            launcher.unreserve(jobId);
          }
          if (result instanceof EnqueueResult.QueueFull full) {
            refusals.limited(command.name(), "command " + command.name() + " refused: " + full.queued()
                + " jobs already queued").ifPresent(LOG::warn);
            services.metrics().command(command.name(), "queue_full");
            replyEphemeral(ctx, "`/" + command.name() + "` is busy: " + full.queued()
                + " requests are already waiting. Please try again in a few minutes.");
            return;
          }
          LOG.debug("job {} command={} accepted (user {})", jobId, command.name(), cmd.userId());
          services.metrics().command(command.name(), "acked");
          Map<String, Object> scope = new HashMap<>(job.request());
          scope.put("job_id", jobId);
          replyEphemeral(ctx, Templates.render(command.ack(), scope));
          services.metrics().commandAck(command.name(), Exchange.of(ctx).sinceArrival());
        })
        .onFailure(e -> {
          if (slot) {
            launcher.unreserve(jobId);
          }
          // the store logs its refusals itself, rate-limited
          LOG.debug("command {}: the store refused the job: {}", command.name(), e.getMessage());
          services.metrics().command(command.name(), "store_unavailable");
          ErrorReplies.send(ctx, 503, "unavailable", "the gateway cannot store the job right now; try again");
        });
  }

  private static FormData readForm(RoutingContext ctx, int maxFields) {
    if (ctx.request().method() == HttpMethod.GET) {
      return FormData.parse(ctx.request().query(), maxFields);
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
      throw new MalformedRequestException(MalformedRequestException.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/x-www-form-urlencoded");
    }
    return FormData.parse(rawBody(ctx), maxFields);
  }

  private static void replyEphemeral(RoutingContext ctx, String text) {
    ctx.response().putHeader("content-type", "application/json").end(CommandReply.ephemeral(text));
  }
}
