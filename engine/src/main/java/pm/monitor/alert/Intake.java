package pm.monitor.alert;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Finding;
import pm.monitor.store.AlertStore;

/**
 * The findings waiting to be grouped: what the finding writer hands over ({@link #route}), what
 * was stored but never routed ({@link #catchUp}), and, when routing falls behind, what was left
 * in PostgreSQL to be read back in storage order (a spill), so the heap does not grow with a
 * backlog replayed at many days of event time a minute. Taken out of AlertService (issue 19),
 * which now only decides.
 */
final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final AlertStore store;
    private final Supplier<Set<String>> routeKinds;
    private final Deque<Finding> inbox = new ConcurrentLinkedDeque<>();
    /** At most this many findings wait in memory; more wait in the store. */
    private final int limit;
    private final AtomicInteger queued = new AtomicInteger();
    /** Set when a finding was left in the store; where reading back starts (stored_at, id). */
    private volatile boolean spilled;
    private final Object spillLock = new Object();
    private volatile OffsetDateTime spillAt;
    private volatile String spillId = "";

    Intake(AlertStore store, Supplier<Set<String>> routeKinds, int limit) {
        this.store = store;
        this.routeKinds = routeKinds;
        this.limit = limit;
    }

    /** Queues new findings (called on the finding writer's thread; does no I/O unless it spills). */
    void route(List<Finding> fresh) {
        // Decided under spillLock, never under the service's lock: a long tick must not hold up
        // the finding writer. Findings left out are stored already (the writer calls this after
        // its commit) and are read back by refill(), in storage order.
        OffsetDateTime from = null;
        if (spillAt == null && queued.get() + fresh.size() > limit) {
            from = store.databaseNow().minusSeconds(5); // stored_at is the commit's transaction start
        }
        synchronized (spillLock) {
            if (!spilled && queued.get() + fresh.size() <= limit) {
                queued.addAndGet(fresh.size());
                inbox.addAll(fresh);
                return;
            }
            if (!spilled) {
                // later spills go on from where the last read-back ended (what was routed
                // meanwhile is skipped there)
                if (spillAt == null) {
                    spillAt = from != null ? from : store.databaseNow().minusSeconds(60);
                    spillId = "";
                }
                spilled = true;
                LOG.info("alert routing is behind ({} findings waiting): the next are read back from the store", queued.get());
            }
        }
    }

    /** Queues the findings stored since the alerts were installed that never reached {@link #route}. */
    void catchUp() {
        List<Finding> missed = store.unrouted(store.installedAt(), 100_000);
        if (!missed.isEmpty()) {
            LOG.info("routing {} findings stored but never routed", missed.size());
            queued.addAndGet(missed.size());
            inbox.addAll(missed);
        }
    }

    /**
     * Up to {@code max} queued findings; when the queue is empty and findings were spilled, a
     * page of them is read back first (a few pages per tick: acknowledgements wait for the tick).
     */
    List<Finding> take(int max, boolean mayRefill) {
        if (inbox.isEmpty() && spilled && mayRefill) {
            refill();
        }
        List<Finding> batch = new ArrayList<>();
        Finding f;
        while (batch.size() < max && (f = inbox.pollFirst()) != null) {
            batch.add(f);
        }
        queued.addAndGet(-batch.size());
        return batch;
    }

    /**
     * Queues the findings stored within {@code window} but not in the last {@code settle} that no
     * alert has taken (routed ones are left out by the store; one queued twice is grouped once): in
     * a cluster, those another instance stored but could not hand on (it died between its commit
     * and the findings topic); the last few seconds' are still on their way. Returns how many.
     */
    int sweep(java.time.Duration window, java.time.Duration settle) {
        if (spilled) {
            return 0; // behind: the read-back goes through the store in storage order anyway
        }
        Set<String> kinds = routeKinds.get();
        OffsetDateTime now = store.databaseNow();
        OffsetDateTime from = now.minus(window);
        OffsetDateTime before = now.minus(settle);
        String id = "";
        int n = 0;
        for (int page = 0; page < 10; page++) {
            AlertStore.Page p = store.unroutedAfter(from, id, before, kinds, 1000);
            queued.addAndGet(p.findings().size());
            inbox.addAll(p.findings());
            n += p.findings().size();
            if (p.findings().size() < 1000) {
                break;
            }
            from = p.lastStoredAt();
            id = p.lastId();
        }
        return n;
    }

    /** Drops what waits in memory and any spill (what it held is stored, and routed by whoever catches up next). */
    void clear() {
        synchronized (spillLock) {
            inbox.clear();
            queued.set(0);
            spilled = false;
            spillAt = null;
            spillId = "";
        }
    }

    /** Puts a batch the database refused back at the front, in its order. */
    void putBack(List<Finding> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            inbox.addFirst(batch.get(i));
        }
        queued.addAndGet(batch.size());
    }

    /** Whether the next {@link #take} must read a page back from the store to find anything. */
    boolean needsRefill() {
        return inbox.isEmpty() && spilled;
    }

    /**
     * Reads back a page of findings left in the store while the inbox was full. Near the end of
     * the backlog the spill ends first, then one more page is read: a finding left out before
     * the end was committed before it, so that page sees it.
     */
    private void refill() {
        Set<String> kinds = routeKinds.get();
        int max = Math.max(1, limit / 2);
        AlertStore.Page page = store.unroutedAfter(spillAt, spillId, kinds, max);
        List<Finding> found = new ArrayList<>(page.findings());
        if (found.size() < max) {
            synchronized (spillLock) {
                spilled = false;
            }
            page = store.unroutedAfter(page.lastStoredAt(), page.lastId(), kinds, max);
            found.addAll(page.findings());
            if (page.findings().size() == max) {
                synchronized (spillLock) {
                    spilled = true; // not the end after all
                }
            }
        }
        spillAt = page.lastStoredAt();
        spillId = page.lastId();
        queued.addAndGet(found.size());
        inbox.addAll(found); // (one also routed meanwhile is skipped by the grouping: routed once)
    }
}
