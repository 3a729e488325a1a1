package dev.hookgate.store;

import java.util.Map;

/** A job to queue: the command's name, the request fields it was invoked with, its response_url. */
public record NewJob(String id, String command, Map<String, String> request, String responseUrl, long createdAt) {
  public NewJob {
    request = Map.copyOf(request);
  }
}
