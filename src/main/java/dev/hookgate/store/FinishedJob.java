package dev.hookgate.store;

import java.util.List;

/**
 * A job's result as stored with its replies: the replies leased to the node that ran it (with
 * their ids, for it to send from memory), and whether the first of them already took one use of
 * the job's response_url in the same transaction (false when it had none left, or none is needed).
 */
public record FinishedJob(List<Delivery> replies, boolean firstUseTaken) {
  public FinishedJob {
    replies = List.copyOf(replies);
  }
}
