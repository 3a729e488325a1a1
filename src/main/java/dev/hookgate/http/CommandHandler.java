package dev.hookgate.http;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.job.Templates;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.FormData;
import dev.hookgate.protocol.MalformedRequestException;
import dev.hookgate.protocol.SlackSignature;
import dev.hookgate.protocol.SlashCommand;
import dev.hookgate.protocol.TokenCheck;
import dev.hookgate.store.EnqueueResult;
import dev.hookgate.store.NewJob;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.hookgate.job.JobIds;

/**
 * {@code POST|GET /commands/{name}}: checks the token, queues the job durably, answers the
 * ephemeral ack at once. The job runs later on a worker; its result goes through the response_url.
 */
final class CommandHandler {
  private final Services services;

  CommandHandler(Services services) {
    this.services = services;
  }

  void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    CommandConfig command = services.config().commands().get(name);
    if (command == null) {
      services.metrics().command("unknown", "unknown_command");
      ErrorReplies.send(ctx, 404, "unknown_command", "no command is configured at this URL");
      return;
    }
    FormData form;
    try {
      form = readForm(ctx);
    } catch (MalformedRequestException e) {
      services.metrics().command(name, "bad_request");
      ErrorReplies.send(ctx, e.getMessage().startsWith("Content-Type") ? 415 : 400, "bad_request", e.getMessage());
      return;
    }
    if (form.first("ssl_check").filter("1"::equals).isPresent()) {
      ctx.response().setStatusCode(200).end(); // Slack's certificate probe
      return;
    }
    Optional<String> refusal = authenticate(ctx, command, form);
    if (refusal.isPresent()) {
      HttpVerticle.LOG.warn("command {} refused: {} (from {})", name, refusal.get(), ctx.request().remoteAddress());
      services.metrics().command(name, "unauthorized");
      ErrorReplies.send(ctx, 401, "unauthorized", refusal.get());
      return;
    }
    String team = form.first("team_id").orElse("");
    if (!command.teamIds().isEmpty() && !command.teamIds().contains(team)) {
      HttpVerticle.LOG.warn("command {} refused: team {} is not allowed", name, team);
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
    if (!services.config().responseUrl().allows(cmd.responseUrl())) {
      HttpVerticle.LOG.warn("command {} refused: response_url host not allowed (user {})", name, cmd.userId());
      services.metrics().command(name, "response_url_not_allowed");
      replyEphemeral(ctx, "hookgate cannot answer this command: its response_url points to a host that is not "
          + "in response-url.allowed-hosts. Ask the gateway's operator to allow the chat server's address.");
      return;
    }
    enqueue(ctx, command, cmd);
  }

  /**
   * Empty when the request is authentic: a valid Slack signature, or the command's token in the
   * {@code Authorization} header or the {@code token} field (any one that matches is enough, since
   * Mattermost's outgoing OAuth puts another credential in the header). Otherwise, why not.
   */
  private Optional<String> authenticate(RoutingContext ctx, CommandConfig command, FormData form) {
    String signature = ctx.request().getHeader(SlackSignature.SIGNATURE_HEADER);
    Optional<String> signatureProblem = Optional.empty();
    if (command.slackSigningSecret().isPresent() && (signature != null || command.token().isEmpty())) {
      byte[] raw = ctx.request().method() == HttpMethod.GET
          ? ctx.request().query() == null ? new byte[0] : ctx.request().query().getBytes(StandardCharsets.UTF_8)
          : rawBody(ctx);
      SlackSignature.Verdict verdict = SlackSignature.verify(command.slackSigningSecret().get(),
          ctx.request().getHeader(SlackSignature.TIMESTAMP_HEADER), signature, raw, services.now() / 1000);
      signatureProblem = switch (verdict) {
        case VALID -> Optional.empty();
        case MISSING_HEADERS -> Optional.of("missing Slack signature headers");
        case BAD_TIMESTAMP -> Optional.of("invalid Slack request timestamp");
        case STALE_TIMESTAMP -> Optional.of("Slack request timestamp is more than 5 minutes from now");
        case BAD_SIGNATURE -> Optional.of("invalid Slack signature");
      };
      if (signatureProblem.isEmpty() || command.token().isEmpty()) {
        return signatureProblem;
      }
    }
    Optional<String> header = TokenCheck.presented(ctx.request().getHeader("Authorization"), Optional.empty());
    Optional<String> field = form.first("token").filter(t -> !t.isEmpty());
    if (header.isEmpty() && field.isEmpty()) {
      return signatureProblem.or(() -> Optional.of("missing token (form field token or Authorization: Token <t>)"));
    }
    String expected = command.token().orElse(null);
    boolean matches = header.map(t -> TokenCheck.matches(expected, t)).orElse(false)
        | field.map(t -> TokenCheck.matches(expected, t)).orElse(false);
    return matches ? Optional.empty() : signatureProblem.or(() -> Optional.of("invalid token"));
  }

  private static byte[] rawBody(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private void enqueue(RoutingContext ctx, CommandConfig command, SlashCommand cmd) {
    String jobId = JobIds.next(services.now());
    Map<String, String> request = new HashMap<>(cmd.fields());
    services.store().enqueueJob(new NewJob(jobId, command.name(), request, cmd.responseUrl(), services.now()),
            command.maxQueued())
        .onSuccess(result -> {
          if (result instanceof EnqueueResult.QueueFull full) {
            HttpVerticle.LOG.warn("command {} refused: {} jobs already queued", command.name(), full.queued());
            services.metrics().command(command.name(), "queue_full");
            replyEphemeral(ctx, "`/" + command.name() + "` is busy: " + full.queued()
                + " requests are already waiting. Please try again in a few minutes.");
            return;
          }
          HttpVerticle.LOG.info("job {} command={} queued (user {})", jobId, command.name(), cmd.userId());
          services.metrics().command(command.name(), "acked");
          Map<String, Object> scope = new HashMap<>(request);
          scope.put("job_id", jobId);
          replyEphemeral(ctx, Templates.render(command.ack(), scope));
          ctx.vertx().eventBus().publish(Addresses.JOBS_READY, null);
        })
        .onFailure(e -> {
          // the store logs its refusals itself, rate-limited
          HttpVerticle.LOG.debug("command {}: the store refused the job: {}", command.name(), e.getMessage());
          services.metrics().command(command.name(), "store_unavailable");
          ErrorReplies.send(ctx, 503, "unavailable", "the gateway cannot store the job right now; try again");
        });
  }

  private FormData readForm(RoutingContext ctx) {
    int maxFields = services.config().http().maxFormFields();
    if (ctx.request().method() == HttpMethod.GET) {
      return FormData.parse(ctx.request().query(), maxFields);
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
      throw new MalformedRequestException("Content-Type must be application/x-www-form-urlencoded");
    }
    return FormData.parse(rawBody(ctx), maxFields);
  }

  private static void replyEphemeral(RoutingContext ctx, String text) {
    ctx.response().putHeader("content-type", "application/json").end(CommandReply.ephemeral(text));
  }
}
