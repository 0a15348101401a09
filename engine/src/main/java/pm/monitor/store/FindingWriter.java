package pm.monitor.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Finding;

/**
 * Stores findings in batches on its own thread and hands on the ones that were new (the
 * others were stored before: a rebuild finds them again). A database that is down holds the
 * batch back, retried with back-off; nothing is dropped.
 */
public final class FindingWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FindingWriter.class);

    private final FindingStore store;
    private final Consumer<List<Finding>> fresh;
    private final LinkedBlockingQueue<List<Finding>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Set<String> known;
    private volatile boolean closing;
    private final Object idle = new Object();
    private long pending;
    /** Lists handed in, and lists stored (or skipped as known): {@link #flushHanded} waits on them. */
    private long handed;
    private long done;

    public FindingWriter(FindingStore store, Consumer<List<Finding>> fresh) {
        this.store = store;
        this.fresh = fresh;
        this.thread = new Thread(this::run, "finding-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ids stored before (set during a rebuild, cleared after): skipped without a round trip. */
    public void known(Set<String> ids) {
        this.known = ids;
    }

    public void accept(List<Finding> findings) {
        synchronized (idle) {
            pending += findings.size();
            handed++;
        }
        queue.add(findings);
    }

    private void run() {
        List<Finding> batch = new ArrayList<>();
        long lists = 0;
        long backoff = 100;
        while (!closing || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    List<Finding> first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.addAll(first);
                    List<List<Finding>> more = new ArrayList<>();
                    queue.drainTo(more, 200);
                    more.forEach(batch::addAll);
                    lists = 1 + more.size();
                }
                int size = batch.size();
                Set<String> skip = known;
                List<Finding> toStore = batch;
                if (skip != null) {
                    toStore = new ArrayList<>();
                    for (Finding f : batch) {
                        if (!skip.contains(f.id())) {
                            toStore.add(f);
                        }
                    }
                }
                List<Finding> stored = insert(toStore);
                batch = new ArrayList<>();
                backoff = 100;
                if (!stored.isEmpty()) {
                    try {
                        fresh.accept(stored);
                    } catch (RuntimeException e) {
                        LOG.error("publishing findings failed", e);
                    }
                }
                synchronized (idle) {
                    pending -= size;
                    done += lists;
                    idle.notifyAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // jOOQ wraps the driver's error ("Error while running ConnectionCallable"): the
                // deepest cause says what went wrong.
                LOG.warn("storing {} findings failed ({}); retrying in {} ms", batch.size(), rootMessage(e), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /**
     * Stores a batch. A batch PostgreSQL refuses for what it holds (a data or integrity error,
     * not a lost connection) would be refused again at every retry and hold back every later
     * finding: its findings are then stored one by one, and one refused alone is logged with its
     * content and left out. Any other failure is thrown, and the batch retried as it is.
     */
    private List<Finding> insert(List<Finding> batch) {
        try {
            return store.insert(batch);
        } catch (RuntimeException e) {
            String state = sqlState(e);
            if (!refusedForGood(state)) {
                throw e;
            }
            LOG.warn("PostgreSQL refused a batch of {} findings ({}: {}); storing them one by one", batch.size(),
                    state, rootMessage(e));
            List<Finding> stored = new ArrayList<>();
            for (Finding f : batch) {
                try {
                    stored.addAll(store.insert(List.of(f)));
                } catch (RuntimeException one) {
                    if (!refusedForGood(sqlState(one))) {
                        throw one; // the database went away meanwhile: the whole batch again later
                    }
                    LOG.error("finding {} refused by PostgreSQL, not stored ({}): {}", f.id(), rootMessage(one),
                            pm.monitor.finding.Json.line(f));
                }
            }
            return stored;
        }
    }

    /** SQLSTATE classes of a refusal that depends on the data sent: 21 cardinality, 22 data, 23 integrity. */
    private static boolean refusedForGood(String state) {
        return state != null && (state.startsWith("21") || state.startsWith("22") || state.startsWith("23"));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException x && x.getSQLState() != null) {
                return x.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** Waits until every finding handed in so far is stored (or the timeout passes). */
    public boolean flush(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        synchronized (idle) {
            while (pending > 0) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                idle.wait(left);
            }
        }
        return true;
    }

    /**
     * Waits until the findings handed in before this call are stored (or the timeout passes);
     * unlike {@link #flush}, findings handed in meanwhile by others do not make it wait longer.
     */
    public boolean flushHanded(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        synchronized (idle) {
            long target = handed;
            while (done < target) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                idle.wait(left);
            }
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
