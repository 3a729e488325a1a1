package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;

/** The response_url budget, counted on the job's row (a seek by primary key). */
final class SqlResponseUrlBudget implements ResponseUrlBudget {
  private final SqlEngine engine;

  SqlResponseUrlBudget(SqlEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses) {
    return engine.write("tryUseResponseUrl", tx -> takeUse(tx, jobId, now, lifetimeMs, maxUses));
  }

  /** Takes one use of a job's response_url within the transaction; false when none is left. */
  static boolean takeUse(Tx tx, String jobId, long now, long lifetimeMs, int maxUses) throws java.sql.SQLException {
    PreparedStatement ps = tx.prepare("UPDATE jobs SET url_uses = url_uses + 1 WHERE id = ? AND url_uses < ? "
        + "AND created_at > ?");
    ps.setString(1, jobId);
    ps.setInt(2, maxUses);
    ps.setLong(3, now - lifetimeMs);
    return ps.executeUpdate() == 1;
  }

  @Override
  public Future<Void> returnResponseUrlUse(String jobId) {
    return engine.write("returnResponseUrlUse", tx -> {
      PreparedStatement ps = tx.prepare("UPDATE jobs SET url_uses = url_uses - 1 WHERE id = ? AND url_uses > 0");
      ps.setString(1, jobId);
      ps.executeUpdate();
      return null;
    });
  }
}
