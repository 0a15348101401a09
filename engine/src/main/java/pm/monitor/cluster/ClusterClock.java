package pm.monitor.cluster;

import java.time.Instant;
import java.util.function.Supplier;
import pm.monitor.store.EventStore;

/**
 * The event clock of a whole cluster, for the work one instance does for all of it (alerts):
 * the newest event any instance stored, or this instance's own clock when that is later (moved
 * by {@code POST /api/clock}). Each instance's own clock sees only the events of its partitions.
 * The store is asked at most once a second.
 */
public final class ClusterClock implements Supplier<Instant> {
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final Supplier<Instant> local;
    private final EventStore events;
    private volatile Instant stored;
    private volatile long readAt;

    public ClusterClock(Supplier<Instant> local, EventStore events) {
        this.local = local;
        this.events = events;
    }

    @Override
    public Instant get() {
        long now = System.nanoTime();
        if (readAt == 0 || now - readAt > REFRESH_NANOS) {
            stored = events.newestAt();
            readAt = now;
        }
        Instant own = local.get();
        Instant all = stored;
        if (own == null) {
            return all;
        }
        return all == null || own.isAfter(all) ? own : all;
    }
}
