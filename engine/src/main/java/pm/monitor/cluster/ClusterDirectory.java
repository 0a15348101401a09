package pm.monitor.cluster;

import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import pm.monitor.report.Directory;
import pm.monitor.store.EventStore;

/**
 * The dashboard's directory and the scheduled reports of a cluster instance: every stored
 * community, not only those whose engines run here, read from the store at most every
 * {@value #REFRESH_SECONDS} s (one index probe per community), and the cluster's present.
 */
public final class ClusterDirectory implements Directory.Elsewhere {
    private static final long REFRESH_SECONDS = 5;

    private final EventStore events;
    private final Supplier<Instant> present;
    private volatile Set<String> communities;
    private volatile long readAt;

    public ClusterDirectory(EventStore events, Supplier<Instant> present) {
        this.events = events;
        this.present = present;
    }

    @Override
    public Set<String> communities() {
        long now = System.nanoTime();
        if (communities == null || now - readAt > REFRESH_SECONDS * 1_000_000_000L) {
            communities = Set.copyOf(events.communities());
            readAt = now;
        }
        return communities;
    }

    @Override
    public Instant present() {
        return present.get();
    }
}
