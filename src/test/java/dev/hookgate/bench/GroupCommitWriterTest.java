package dev.hookgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The baselines' writer: every insert and update is committed, futures complete on the caller's context. */
@ExtendWith(VertxExtension.class)
class GroupCommitWriterTest {
  @TempDir Path dir;

  @Test
  void insertsThenMarksDeliveredEveryMessageOnTheCallersContext(Vertx vertx, VertxTestContext test) throws Exception {
    Path file = dir.resolve("baseline.db");
    GroupCommitWriter writer = new GroupCommitWriter(vertx, file);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      List<Future<Void>> inserted = new ArrayList<>();
      for (long id = 1; id <= 500; id++) { // submitted at once: they share few transactions
        inserted.add(writer.insert(id, "{\"text\":\"m" + id + "\"}")
            .onSuccess(x -> test.verify(() -> assertSame(context, Vertx.currentContext()))));
      }
      Future.all(inserted)
          .compose(x -> {
            test.verify(() -> assertEquals(500, count(file, "pending")));
            List<Future<Void>> delivered = new ArrayList<>();
            for (long id = 1; id <= 500; id++) {
              delivered.add(writer.markDelivered(id));
            }
            return Future.all(delivered);
          })
          .onComplete(test.succeeding(x -> test.verify(() -> {
            assertEquals(0, count(file, "pending"));
            assertEquals(500, count(file, "delivered"));
            test.completeNow();
          })));
    });
  }

  private static long count(Path file, String state) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM messages WHERE state = '" + state + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
