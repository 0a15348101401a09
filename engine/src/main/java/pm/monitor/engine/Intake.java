package pm.monitor.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import pm.monitor.event.Rejection;

/**
 * Where {@code POST /api/events} hands the events it parsed: the local {@link Ingest} (one node),
 * or the cluster's event log ({@code serve --kafka}, pm.monitor.cluster.EventLog). The answer
 * completes when the accepted events are durable, or fails with {@link Ingest.Unavailable}.
 */
public interface Intake {
    CompletableFuture<Ingest.Outcome> submit(List<Ingest.Item> items, List<Rejection> rejected);

    /** A request is on its way; the returned action marks it arrived (see {@link Ingest#arriving()}). */
    Runnable arriving();
}
