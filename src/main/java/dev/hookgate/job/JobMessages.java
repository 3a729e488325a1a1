package dev.hookgate.job;

import dev.hookgate.store.JobRecord;
import dev.hookgate.store.JobState;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** A claimed job as it travels on the event bus from the dispatcher to a worker. */
final class JobMessages {
  private JobMessages() {}

  static JsonObject encode(JobRecord job) {
    return new JsonObject().put("id", job.id()).put("command", job.command())
        .put("request", new JsonObject(new HashMap<>(job.request()))).put("responseUrl", job.responseUrl())
        .put("attempts", job.attempts()).put("createdAt", job.createdAt()).put("startedAt", job.startedAt());
  }

  static JobRecord decode(JsonObject json) {
    Map<String, String> request = new HashMap<>();
    json.getJsonObject("request").forEach(e -> request.put(e.getKey(), String.valueOf(e.getValue())));
    return new JobRecord(json.getString("id"), json.getString("command"), request, json.getString("responseUrl"),
        JobState.RUNNING, json.getInteger("attempts"), json.getLong("createdAt"), json.getLong("startedAt"),
        null, null);
  }
}
