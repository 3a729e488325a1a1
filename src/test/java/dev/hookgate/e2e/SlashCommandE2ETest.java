package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slash-command gateway end to end: requests as Mattermost sends them, byte for byte, against
 * the in-process gateway; results observed at a fake Mattermost (response_url and incoming hook).
 */
class SlashCommandE2ETest {
  static final String TOKEN = "xdt3bq8kyjgbxfyhsnd4c1nqwe";
  static FakeChatServer chat;
  static TestGateway gw;
  @TempDir static Path scripts;

  @BeforeAll
  static void start() throws Exception {
    chat = FakeChatServer.start();
    Path echoArgs = script("echo-args.sh", """
        #!/bin/sh
        echo "args:$1|$2"
        echo "stdin:$(cat)"
        echo "user:$HOOKGATE_USER_NAME channel:$HOOKGATE_CHANNEL_NAME"
        """);
    Path fail = script("fail.sh", "#!/bin/sh\necho partial\necho 'disk full' >&2\nexit 3\n");
    Path progress = script("progress.sh", "#!/bin/sh\necho '::progress fetching data'\necho line one\n"
        + "echo '::progress too soon: throttled'\necho line two\n");
    Path envNames = script("env-names.sh", "#!/bin/sh\nenv | cut -d= -f1 | sort | tr '\\n' ' '\n");
    Path slow = script("slow.sh", "#!/bin/sh\nsleep 30 &\necho $! > \"$1\"\nsleep 30\n");
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        security: {allow-short-secrets: true}
        response-url:
          allowed-hosts: ["http://127.0.0.1:%1$d"]
          max-post-chars: 200
        delivery: {backoff: [100ms, 200ms], max-attempts: 5}
        destinations:
          fallback-hook: {url: "%2$s", rate-per-second: 100, burst: 100}
        commands:
          echo:
            token: %3$s
            ack: "Command received, job {{job_id}}."
            job: {template: "## Commande reçue!\\nPayload : {{text}}"}
            reply: {response-type: in_channel, fallback: fallback-hook}
          args:
            token: %3$s
            job: {exec: ["%4$s", "{{text}}", "{{user_name}}"], timeout: 10s}
            reply: {template: "exit={{exit_code}}\\n{{output}}"}
          fail:
            token: %3$s
            job: {exec: ["%5$s"], timeout: 10s}
          slow:
            token: %3$s
            job: {exec: ["%6$s", "{{text}}"], timeout: 1s}
          api:
            token: %3$s
            job:
              http: {method: POST, url: "%7$s/api/report?user={{user_name}}", body: "{\\"q\\": \\"{{text}}\\"}",
                     headers: {Content-Type: application/json}}
            reply: {template: "{{json.summary.count}} open issues ({{status}})"}
          long:
            token: %3$s
            job: {template: "{{text}}"}
            reply: {fallback: fallback-hook}
          slack:
            slack-signing-secret: 8f742231b10e8888abcd99yyyzzz85a5
            team-id: [T1DC2JH3J]
            job: {template: "signed {{text}}"}
          progress:
            token: %3$s
            job: {exec: ["%8$s"], timeout: 10s}
          private:
            token: %3$s
            job: {template: "only for you: {{text}}"}
            reply: {response-type: ephemeral, fallback: fallback-hook}
          flood:
            token: %3$s
            job: {exec: [sh, -c, "head -c 5000000 /dev/zero | tr '\\\\000' x"], max-output-bytes: 1024}
          envnames:
            token: %3$s
            job: {exec: ["%9$s"], env: {REPORT_FORMAT: csv}}
          busy:
            token: %3$s
            job: {exec: ["%6$s", "/dev/null"], timeout: 2s}
            concurrency: 1
            max-queued: 1
        """.formatted(chat.port(), chat.incomingHookUrl("fallbackid"), TOKEN, echoArgs, fail, slow, chat.base(), progress, envNames));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    chat.close();
  }

  static Path script(String name, String body) throws Exception {
    Path p = scripts.resolve(name);
    Files.writeString(p, body);
    p.toFile().setExecutable(true);
    return p;
  }

  /** The form exactly as Mattermost encodes it: Go url.Values.Encode(), keys sorted, '+' for spaces. */
  static String mattermostForm(String command, String text, String responseUrl) {
    Map<String, String> f = new TreeMap<>();
    f.put("channel_id", "4xp9fdt8cbn8pjqzhpq7b8w4aa");
    f.put("channel_name", "town-square");
    f.put("command", "/" + command);
    f.put("response_url", responseUrl);
    f.put("team_domain", "picasoft");
    f.put("team_id", "8rcddx9aqbfyzdqyo3pjbb1rrc");
    f.put("text", text);
    f.put("token", TOKEN);
    f.put("trigger_id", "MTAwMDpxNWd0dWFmNm5mZ2ptcmR1N2o0Z3I0ZHo5dzoxNzY0MzE2ODAwMDAwOk1FWUNJUUM=");
    f.put("user_id", "ufq7h5ny5jgfxmjbuhbwcd3qke");
    f.put("user_name", "quentin");
    StringBuilder sb = new StringBuilder();
    f.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("*", "%2A")));
    return sb.toString();
  }

  static HttpResponse<String> invoke(String command, String text, String responseUrl) throws Exception {
    return gw.postForm("/commands/" + command, mattermostForm(command, text, responseUrl),
        "Authorization", "Token " + TOKEN, "User-Agent", "Mattermost-Bot/1.1", "Accept", "application/json");
  }

  static List<FakeChatServer.Post> awaitPosts(String responseUrl, int n) throws Exception {
    String path = responseUrl.substring(responseUrl.indexOf("/hooks/"));
    await(n + " post(s) on " + path, 10_000, () -> chat.postsTo(path).size() >= n);
    return chat.postsTo(path);
  }

  @Test
  void fixtureRequestFromMattermostSentByteForByteIsAckedAndTheSeedEchoIsQueuedForItsResponseUrl() throws Exception {
    byte[] fixture = Files.readAllBytes(dev.hookgate.Fixtures.DIR.resolve("mattermost-slash-command-post.http"));
    // the fixture's own command, token and response_url host; nothing here talks to team.example.org but the
    // delivery attempt, which this test does not wait for
    try (TestGateway mattermostGw = TestGateway.start("""
        store: {path: "${DB}"}
        response-url: {allowed-hosts: [team.example.org]}
        commands:
          report:
            token: xdt3bq8kyjgbxfyhsnd4c1nqwe
            ack: "Command received, job {{job_id}}."
            job: {template: "## Commande reçue!\\nPayload : {{text}}"}
            reply: {response-type: in_channel}
        """);
         java.net.Socket socket = new java.net.Socket("127.0.0.1", mattermostGw.gateway().port())) {
      socket.getOutputStream().write(fixture);
      socket.getOutputStream().flush();
      String answer = readOneResponse(socket);

      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-type: application/json\r\n"), answer);
      JsonObject json = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertEquals("ephemeral", json.getString("response_type"));
      assertTrue(json.getString("text").matches("Command received, job [0-9a-f-]{36}\\."), json.getString("text"));

      var store = mattermostGw.gateway().services().store();
      await("the echo queued for the fixture's response_url", 10_000, () -> {
        List<dev.hookgate.store.Delivery> all = new java.util.ArrayList<>();
        for (dev.hookgate.store.DeliveryState state : dev.hookgate.store.DeliveryState.values()) {
          all.addAll(store.deliveries(state, 10).toCompletionStage().toCompletableFuture().join());
        }
        return all.stream().anyMatch(d ->
            "https://team.example.org/hooks/commands/s3kfq1w9bjfgfxz8ud5r7hyx1c".equals(d.responseUrl())
                && d.message().text().equals("## Commande reçue!\nPayload : weekly  --format=csv\nsecond line")
                && "in_channel".equals(d.message().responseType()));
      });
    }
  }

  /** One HTTP/1.1 response with a Content-Length, read from a kept-alive connection. */
  static String readOneResponse(java.net.Socket socket) throws Exception {
    socket.setSoTimeout(10_000);
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    java.io.InputStream in = socket.getInputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      got.write(b);
      String text = got.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (got.size() >= end + 4 + length) {
          break;
        }
      }
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachReplyLeavesFromMemoryOnceWithThreeStoreOperationsPerCommandAndNoUseCommittedBeforeItsPost()
      throws Exception {
    try (TestGateway own = TestGateway.start("""
        store: {path: "${DB}"}
        security: {allow-short-secrets: true}
        response-url: {allowed-hosts: ["http://127.0.0.1:%d"]}
        commands:
          echo:
            token: %s
            job: {template: "## Commande reçue!\\nPayload : {{text}}"}
            reply: {response-type: in_channel}
        """.formatted(chat.port(), TOKEN))) {
      dev.hookgate.store.StoreStats stats = ((dev.hookgate.store.SqlStore) own.gateway().services().store()).stats();
      Map<String, Long> before = operations(stats);
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String url = chat.issueResponseUrl();
        urls.add(url);
        assertEquals(200, own.postForm("/commands/echo", mattermostForm("echo", "run " + i, url),
            "Authorization", "Token " + TOKEN).statusCode());
      }
      await("20 replies recorded as delivered", 10_000,
          () -> operations(stats).get("markDelivered") - before.get("markDelivered") >= 20);
      for (int i = 0; i < urls.size(); i++) {
        List<FakeChatServer.Post> posts = awaitPosts(urls.get(i), 1);
        assertEquals(1, posts.size(), "one post per response_url");
        assertTrue(posts.get(0).text().contains("run " + i), posts.get(0).text());
      }
      Map<String, Long> delta = new TreeMap<>();
      operations(stats).forEach((op, n) -> {
        if (n - before.get(op) > 0) {
          delta.put(op, n - before.get(op));
        }
      });
      assertEquals(20, delta.get("enqueueJob"), delta.toString());
      assertEquals(20, delta.get("finishJob"), delta.toString());
      assertEquals(20, delta.get("markDelivered"), delta.toString());
      assertEquals(null, delta.get("tryUseResponseUrl"), "the first use is taken with the result: " + delta);
      assertEquals(null, delta.get("enqueueDeliveries"), "the reply is stored with the result: " + delta);
    }
  }

  private static Map<String, Long> operations(dev.hookgate.store.StoreStats stats) {
    Map<String, Long> ops = new TreeMap<>();
    dev.hookgate.store.StoreStats.WRITES.forEach(op -> ops.put(op, stats.operations(op)));
    return ops;
  }

  @Test
  void getCommandCarriesItsFieldsInTheQueryString() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    HttpResponse<String> ack = gw.get("/commands/echo?" + mattermostForm("echo", "via get", responseUrl));
    assertEquals(200, ack.statusCode());
    assertEquals("Payload : via get", awaitPosts(responseUrl, 1).get(0).text().split("\n")[1]);
  }

  @Test
  void execJobGetsTemplatedArgsStdinAndEnvironmentAndItsExitCodeReachesTheReply() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    assertEquals(200, invoke("args", "hello world", responseUrl).statusCode());
    FakeChatServer.Post post = awaitPosts(responseUrl, 1).get(0);
    assertEquals("exit=0\nargs:hello world|quentin\nstdin:hello world\nuser:quentin channel:town-square", post.text());
    assertEquals("in_channel", post.body().getString("response_type"));
  }

  @Test
  void progressLinesBecomeEphemeralUpdatesBeforeTheResult() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    invoke("progress", "", responseUrl);
    List<FakeChatServer.Post> posts = awaitPosts(responseUrl, 2);
    assertEquals("fetching data", posts.get(0).text());
    assertEquals("ephemeral", posts.get(0).body().getString("response_type"));
    assertEquals("line one\nline two", posts.get(1).text());
    Thread.sleep(300); // the throttled line must not arrive late
    assertEquals(2, chat.postsTo(responseUrl.substring(responseUrl.indexOf("/hooks/"))).size());
  }

  @Test
  // the gateway's own secrets in its environment (HOOKGATE_ADMIN_TOKEN...): JobsIT, against the fat jar
  void execJobsInheritOnlyTheAllowedVariablesBesideTheirEnvAndHookgateFields() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    invoke("envnames", "", responseUrl);
    java.util.Set<String> allowed = new java.util.HashSet<>(java.util.Set.of("PATH", "HOME", "LANG", "LC_ALL",
        "LC_CTYPE", "TZ", "USER", "LOGNAME", "TMPDIR", "JAVA_HOME", "REPORT_FORMAT", "PWD", "SHLVL", "_"));
    for (String name : awaitPosts(responseUrl, 1).get(0).text().trim().split(" ")) {
      assertTrue(allowed.contains(name) || name.startsWith("HOOKGATE_"), "the job sees " + name);
    }
  }

  @Test
  void outputWithoutNewlinesIsCappedNotHeldWhole() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    invoke("flood", "", responseUrl);
    // 1,024 bytes kept of 5 MB, split into posts of 200 characters: five through the response_url, and the
    // last 24 characters a dead letter (five uses spent, no fallback)
    assertEquals("x".repeat(1000), joined(awaitPosts(responseUrl, 5)).replace("\n", ""));
    var store = gw.gateway().services().store();
    await("the sixth part to be dead", 10_000, () -> store.deliveries(dev.hookgate.store.DeliveryState.DEAD, 50)
        .await().stream().anyMatch(d -> d.message().text().equals("x".repeat(24))));
  }

  @Test
  void failingJobTellsTheUserWhyInAnEphemeralMessage() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    invoke("fail", "now", responseUrl);
    FakeChatServer.Post post = awaitPosts(responseUrl, 1).get(0);
    assertEquals("ephemeral", post.body().getString("response_type"));
    assertTrue(post.text().startsWith(":warning: `/fail now` failed: exited with code 3"), post.text());
    assertTrue(post.text().contains("disk full"), post.text());
  }

  @Test
  void timedOutJobIsKilledWithItsChildrenAndTheUserIsTold() throws Exception {
    Path pidFile = scripts.resolve("child.pid");
    String responseUrl = chat.issueResponseUrl();
    invoke("slow", pidFile.toString(), responseUrl);
    FakeChatServer.Post post = awaitPosts(responseUrl, 1).get(0);
    assertEquals("ephemeral", post.body().getString("response_type"));
    assertTrue(post.text().contains("failed: timed out after 1s and was killed"), post.text());
    long childPid = Long.parseLong(Files.readString(pidFile).trim());
    await("the background child to be killed", 5000,
        () -> ProcessHandle.of(childPid).map(ph -> !ph.isAlive()).orElse(true));
  }

  @Test
  void httpJobExposesStatusAndJsonBodyToTheReplyTemplate() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpServer api = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b ->
          req.response().putHeader("content-type", "application/json")
              .end(new JsonObject().put("summary", new JsonObject().put("count", 7))
                  .put("echo", b.toString() + "|" + req.getParam("user") + "|" + req.getParam("q") + "|"
                      + req.getParam("x")).encode())))
          .listen(0, "127.0.0.1").await();
      // point the job at this API by invoking through a gateway that knows its port
      try (TestGateway g = TestGateway.start("""
          store: {path: "${DB}"}
          security: {allow-short-secrets: true}
          response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
          commands:
            api:
              token: %2$s
              job:
                http: {method: POST, url: "http://127.0.0.1:%3$d/report?user={{user_name}}&q={{text}}",
                       body: "{\\"q\\": \\"{{text}}\\"}", headers: {Content-Type: application/json}}
              reply: {template: "{{json.summary.count}} open ({{status}}) {{json.echo}}"}
          """.formatted(chat.port(), TOKEN, api.actualPort()))) {
        String responseUrl = chat.issueResponseUrl();
        // the user's text is escaped for where it goes: it adds no query parameter, breaks no JSON
        String text = "bugs&x=1 \"urgent\"";
        assertEquals(200, g.postForm("/commands/api", mattermostForm("api", text, responseUrl)).statusCode());
        assertEquals("7 open (200) {\"q\": \"bugs&x=1 \\\"urgent\\\"\"}|quentin|" + text + "|null",
            awaitPosts(responseUrl, 1).get(0).text());
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void refusalsBeforeTheHookIsFoundDoNotSpendTheResponseUrlsUses() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    int before = chat.postsTo("/hooks/fallbackid").size();
    chat.rateLimitCommandHooksFor(6_500); // about six 429s, more than the five uses
    invoke("echo", "after the limit", responseUrl);
    FakeChatServer.Post post = awaitPosts(responseUrl, 1).get(0);
    assertTrue(post.text().endsWith("Payload : after the limit"), post.text());
    assertEquals(before, chat.postsTo("/hooks/fallbackid").size());
  }

  @Test
  void expiredResponseUrlFallsBackToTheCommandsIncomingHook() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    chat.expire(responseUrl);
    int before = chat.postsTo("/hooks/fallbackid").size();
    invoke("echo", "late result", responseUrl);
    await("the fallback hook to get the result", 10_000, () -> chat.postsTo("/hooks/fallbackid").size() > before);
    FakeChatServer.Post post = chat.postsTo("/hooks/fallbackid").get(before);
    assertTrue(post.text().endsWith("Payload : late result"), post.text());
    assertTrue(chat.postsTo(responseUrl.substring(responseUrl.indexOf("/hooks/"))).isEmpty());
  }

  @Test
  void anEphemeralReplyIsNeverPostedInAChannelThroughTheFallback() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    chat.expire(responseUrl);
    int before = chat.postsTo("/hooks/fallbackid").size();
    invoke("private", "secret numbers", responseUrl);
    var store = gw.gateway().services().store();
    await("the reply to become a dead letter", 10_000, () -> store.deliveries(dev.hookgate.store.DeliveryState.DEAD, 50)
        .await().stream().anyMatch(d -> d.message().text().equals("only for you: secret numbers")
            && d.lastError().contains("an ephemeral message is not posted in a channel")));
    assertEquals(before, chat.postsTo("/hooks/fallbackid").size());
  }

  @Test
  void longResultIsSplitAtLinesAndOverflowsToTheFallbackAfterFiveUses() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      text.append("line ").append(i).append(" ").append("x".repeat(20)).append('\n');
    }
    String responseUrl = chat.issueResponseUrl();
    int before = chat.postsTo("/hooks/fallbackid").size();
    invoke("long", text.toString().strip(), responseUrl);
    List<FakeChatServer.Post> viaUrl = awaitPosts(responseUrl, 5);
    await("the rest to reach the fallback hook", 10_000, () -> {
      String all = joined(viaUrl) + "\n" + joined(chat.postsTo("/hooks/fallbackid").subList(before,
          chat.postsTo("/hooks/fallbackid").size()));
      return all.contains("line 39 ");
    });
    List<FakeChatServer.Post> viaHook = chat.postsTo("/hooks/fallbackid").subList(before, chat.postsTo("/hooks/fallbackid").size());
    assertEquals(5, awaitPosts(responseUrl, 5).size());
    String all = joined(viaUrl) + "\n" + joined(viaHook);
    assertEquals(text.toString().strip(), all);
    for (FakeChatServer.Post p : viaUrl) {
      assertTrue(p.text().length() <= 200);
      assertFalse(p.text().startsWith("\n"));
    }
  }

  static String joined(List<FakeChatServer.Post> posts) {
    return String.join("\n", posts.stream().map(FakeChatServer.Post::text).toList());
  }

  @Test
  void fullQueueIsToldToTheUserAndNothingIsQueued() throws Exception {
    // busy (each job runs 2 s) runs one job at a time and keeps at most one queued; the dispatcher
    // may hold one more claimed ahead of its slot (its concurrency): at most 3 are taken in
    String refusedUrl = null;
    HttpResponse<String> refused = null;
    List<String> acceptedUrls = new ArrayList<>();
    for (int i = 0; i < 8 && refused == null; i++) {
      String responseUrl = chat.issueResponseUrl();
      HttpResponse<String> r = invoke("busy", "", responseUrl);
      assertEquals(200, r.statusCode());
      if (new JsonObject(r.body()).getString("text").startsWith("`/busy` is busy")) {
        refused = r;
        refusedUrl = responseUrl;
      } else {
        acceptedUrls.add(responseUrl);
        Thread.sleep(50); // lets the dispatcher claim what it may
      }
    }
    assertNotNull(refused, "no request was told the command is busy");
    assertTrue(acceptedUrls.size() <= 3, acceptedUrls.size() + " accepted before the first refusal");
    assertTrue(new JsonObject(refused.body()).getString("text").contains("already waiting"), refused.body());
    // the refused request was not queued: once every accepted job has answered (one after the
    // other), nothing has reached its response_url
    for (String url : acceptedUrls) {
      awaitPosts(url, 1);
    }
    assertEquals(0, chat.postsTo(refusedUrl.substring(refusedUrl.indexOf("/hooks/"))).size());
  }

  // ---------------------------------------------------------------- bad requests

  @Test
  void unknownCommandIs404() throws Exception {
    HttpResponse<String> r = invoke("nope", "x", chat.issueResponseUrl());
    assertEquals(404, r.statusCode());
    assertEquals("unknown_command", new JsonObject(r.body()).getString("error"));
  }

  @Test
  void wrongTokenIs401AndRunsNothing() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    String form = mattermostForm("echo", "x", responseUrl).replace("token=" + TOKEN, "token=wrongwrongwrongwrongwrong1");
    HttpResponse<String> r = gw.postForm("/commands/echo", form);
    assertEquals(401, r.statusCode());
    assertEquals("invalid token", new JsonObject(r.body()).getString("message"));
    assertFalse(r.body().contains(TOKEN));
  }

  @Test
  void missingTokenIs401() throws Exception {
    String form = mattermostForm("echo", "x", chat.issueResponseUrl()).replace("token=" + TOKEN, "");
    HttpResponse<String> r = gw.postForm("/commands/echo", form);
    assertEquals(401, r.statusCode());
    assertTrue(new JsonObject(r.body()).getString("message").startsWith("missing token"));
  }

  @Test
  void tokenInTheAuthorizationHeaderAloneIsEnough() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    String form = mattermostForm("echo", "header only", responseUrl).replace("token=" + TOKEN, "");
    assertEquals(200, gw.postForm("/commands/echo", form, "Authorization", "Token " + TOKEN).statusCode());
    awaitPosts(responseUrl, 1);
  }

  @Test
  void formTokenIsEnoughWhenTheHeaderCarriesAnotherCredential() throws Exception {
    // Mattermost's outgoing OAuth connections replace the header with their own Bearer token
    String responseUrl = chat.issueResponseUrl();
    HttpResponse<String> r = gw.postForm("/commands/echo", mattermostForm("echo", "oauth", responseUrl),
        "Authorization", "Bearer some-oauth-access-token");
    assertEquals(200, r.statusCode(), r.body());
    awaitPosts(responseUrl, 1);
  }

  @Test
  void missingFieldsAre400NamingThem() throws Exception {
    HttpResponse<String> r = gw.postForm("/commands/echo", "token=" + TOKEN + "&text=hi&channel_id=c");
    assertEquals(400, r.statusCode());
    assertEquals("missing form fields: response_url, user_id", new JsonObject(r.body()).getString("message"));
  }

  @Test
  void jsonBodyIs415() throws Exception {
    HttpResponse<String> r = gw.postJson("/commands/echo", "{\"token\":\"" + TOKEN + "\"}");
    assertEquals(415, r.statusCode());
  }

  @Test
  void brokenPercentEscapeIs400() throws Exception {
    HttpResponse<String> r = gw.postForm("/commands/echo", "token=" + TOKEN + "&text=%zz");
    assertEquals(400, r.statusCode());
    assertEquals("invalid percent-escape in form body", new JsonObject(r.body()).getString("message"));
  }

  @Test
  void responseUrlOutsideTheAllowedHostsIsRefusedWithoutAnyJob() throws Exception {
    HttpResponse<String> r = invoke("echo", "x", "https://evil.example.com/hooks/commands/abc");
    assertEquals(200, r.statusCode());
    JsonObject json = new JsonObject(r.body());
    assertEquals("ephemeral", json.getString("response_type"));
    assertTrue(json.getString("text").contains("response-url.allowed-hosts"));
  }

  static String slackForm(String team, String responseUrl) {
    return "token=legacy&team_id=" + team + "&channel_id=C1&user_id=U1&user_name=roadrunner&command=%2Fslack"
        + "&text=94070&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> signedPost(String body, long ts, String secret) throws Exception {
    String signature = dev.hookgate.protocol.SlackSignature.sign(secret, String.valueOf(ts),
        body.getBytes(StandardCharsets.UTF_8));
    return gw.postForm("/commands/slack", body, "X-Slack-Request-Timestamp", String.valueOf(ts),
        "X-Slack-Signature", signature);
  }

  @Test
  void slackSignedCommandFromTheAllowedTeamRuns() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    long now = System.currentTimeMillis() / 1000;
    HttpResponse<String> r = signedPost(slackForm("T1DC2JH3J", responseUrl), now, "8f742231b10e8888abcd99yyyzzz85a5");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("signed 94070", awaitPosts(responseUrl, 1).get(0).text());
  }

  @Test
  void slackSignatureFailuresAre401AndAnotherTeamIs403() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String body = slackForm("T1DC2JH3J", chat.issueResponseUrl());
    assertEquals("invalid Slack signature", new JsonObject(signedPost(body, now, "wrong-secret-wrong-secret").body())
        .getString("message"));
    assertEquals(401, signedPost(body, now - 400, "8f742231b10e8888abcd99yyyzzz85a5").statusCode());
    assertEquals(401, signedPost(body, now + 400, "8f742231b10e8888abcd99yyyzzz85a5").statusCode());
    assertEquals(401, gw.postForm("/commands/slack", body).statusCode());
    String tamperedTarget = body.replace("text=94070", "text=94071");
    String signature = dev.hookgate.protocol.SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5",
        String.valueOf(now), body.getBytes(StandardCharsets.UTF_8));
    assertEquals(401, gw.postForm("/commands/slack", tamperedTarget, "X-Slack-Request-Timestamp", String.valueOf(now),
        "X-Slack-Signature", signature).statusCode());
    HttpResponse<String> otherTeam = signedPost(slackForm("TOTHER", chat.issueResponseUrl()), now,
        "8f742231b10e8888abcd99yyyzzz85a5");
    assertEquals(403, otherTeam.statusCode());
  }

  @Test
  void slackSslCheckIsAnswered200() throws Exception {
    assertEquals(200, gw.postForm("/commands/echo", "ssl_check=1&token=" + TOKEN).statusCode());
  }
}
