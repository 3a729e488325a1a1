package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Progress lines from a pump thread are stored in order, on the job's context, before its result. */
@ExtendWith(VertxExtension.class)
class ProgressPostsTest {
  @Test
  void updatesAreStoredInOrderOnTheJobsContextAndAllBeforeClose(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<String> stored = new CopyOnWriteArrayList<>();
    List<Promise<Void>> pendingStores = new CopyOnWriteArrayList<>();
    ProgressPosts posts = new ProgressPosts(context, text -> {
      test.verify(() -> assertEquals(context, Vertx.currentContext(), "stored off the job's context"));
      Promise<Void> p = Promise.promise();
      pendingStores.add(p);
      // the store answers later, the first post slowest
      vertx.setTimer(text.equals("one") ? 300 : 10, t -> {
        stored.add(text);
        p.complete();
      });
      return p.future();
    });
    Thread pump = new Thread(() -> {
      posts.send("one");
      posts.send("two");
    });
    pump.start();
    Future.<Void>future(joined -> vertx.executeBlocking(() -> {
      pump.join();
      return null;
    }).onComplete(r -> joined.complete()))
        .compose(v -> Future.<Void>future(p -> context.runOnContext(x -> p.complete())))
        .compose(v -> Future.<Void>future(p -> context.runOnContext(x -> posts.close().onComplete(p))))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertEquals(List.of("one", "two"), stored, "the result would be stored before an update");
          posts.send("late");
          context.runOnContext(t -> test.verify(() -> { // runs after the send's own task on the context
            assertEquals(2, pendingStores.size(), "an update after the result was stored");
            test.completeNow();
          }));
        })));
  }
}
