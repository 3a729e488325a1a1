package dev.hookgate.job;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * A running job's interim updates, posted in the order they were printed and all before its
 * result: each line read on a pump thread hops to the job's context, where the posts are chained;
 * {@link #close()} (on that context) answers when the last one is stored, and drops any later one.
 */
final class ProgressPosts {
  private final Context context;
  private final Function<String, Future<?>> post;
  private Future<?> last = Future.succeededFuture();
  private boolean closed;

  ProgressPosts(Context context, Function<String, Future<?>> post) {
    this.context = context;
    this.post = post;
  }

  /** From any thread. */
  void send(String text) {
    context.runOnContext(v -> {
      if (!closed) {
        last = last.transform(r -> post.apply(text));
      }
    });
  }

  /** On the job's context: no more updates; completes when those sent are stored (or failed). */
  Future<Void> close() {
    closed = true;
    return last.transform(r -> Future.succeededFuture());
  }
}
