package pm.monitor.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.store.EventStore;

/**
 * The one path of an event into the live monitor: checked against what is known, stored
 * durably, then acknowledged and handed to its community's engine. One thread does it for all
 * requests, in arrival order, storing everything that waits in one transaction (a group
 * commit): the order of events is the order they were stored, and a busy service pays one
 * commit for many requests.
 */
public final class Ingest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
    private static final int MAX_GROUP = 20_000;

    /** A parsed event with where it came from and its JSON as sent. */
    public record Item(Event event, int line, int index, String text) {
    }

    /**
     * The answer to one request. {@code late}: its events that came behind their community's
     * clock and were applied by a rebuild or flagged (README "Late and out-of-order events").
     */
    public record Outcome(int accepted, int duplicates, List<Rejection> rejected, List<Monitor.Late> late) {
    }

    /** The store cannot take events now; nothing of the request was acknowledged. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Request(List<Item> items, List<Rejection> rejected, CompletableFuture<Outcome> done) {
    }

    private final EventStore store;
    private final Admission admission;
    private final Monitor monitor;
    private final java.util.function.Consumer<java.time.Instant> afterBatch;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    /** The highest sequence number handed to the monitor (only the ingest thread writes events). */
    private long appliedSeq;
    /**
     * Set when a store failed: its transaction may have committed all the same (the connection
     * lost around the commit), leaving events stored but never given to the engines. A retry
     * would find them duplicates and skip them, so their findings would be lost until a restart.
     */
    private boolean uncertain;

    /**
     * @param afterBatch told the latest event time of each stored batch (the event clock moves
     *                   with it); null when the wall clock moves time
     * @param appliedSeq the highest sequence number of the stored events the monitor was given
     *                   (by the rebuild)
     */
    public Ingest(EventStore store, Admission admission, Monitor monitor,
                  java.util.function.Consumer<java.time.Instant> afterBatch, long appliedSeq) {
        this.appliedSeq = appliedSeq;
        this.afterBatch = afterBatch;
        this.store = store;
        this.admission = admission;
        this.monitor = monitor;
        this.thread = new Thread(this::run, "ingest");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Submits parsed events (and the lines already rejected by the parser). The future
     * completes once the accepted ones are stored, or fails with {@link Unavailable}.
     */
    public CompletableFuture<Outcome> submit(List<Item> items, List<Rejection> rejected) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        queue.add(new Request(items, new ArrayList<>(rejected), done));
        return done;
    }

    private void run() {
        while (!closing || !queue.isEmpty()) {
            List<Request> group = new ArrayList<>();
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int size = first.items.size();
                Request next;
                while (size < MAX_GROUP && (next = queue.peek()) != null) {
                    group.add(queue.poll());
                    size += next.items.size();
                }
                process(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("ingest of {} requests failed: {}", group.size(), e.getMessage());
                Unavailable u = e instanceof Unavailable x ? x : new Unavailable("the event store is unavailable: "
                        + e.getMessage(), e);
                group.forEach(r -> r.done.completeExceptionally(u));
            }
        }
    }

    private void process(List<Request> group) {
        if (uncertain) {
            catchUp();
        }
        // An event the store refuses (PostgreSQL cannot hold it, or its id names another stored
        // event) is answered alone and the group taken again without it: what it made known in
        // the round (a ticket it received) must not admit the events after it. Each round that
        // is refused refuses at least one more event, and all it finds at once.
        Set<Item> refused = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!attempt(group, refused)) {
            LOG.info("the store refused {} events of {} requests; storing the others", refused.size(), group.size());
        }
    }

    /** An event id within its community: ids are unique per community (README "Resent and reused ids"). */
    private record Key(String community, String id) {
    }

    /**
     * One round of admission and storage over the group. False when the store refused some
     * events: they are answered and added to {@code refused}, and nothing was stored.
     */
    private boolean attempt(List<Request> group, Set<Item> refused) {
        // Within what arrived together, events are taken in event-time order (ties in arrival
        // order): a batch whose lines are not sorted gives the same findings as a sorted one.
        List<int[]> order = new ArrayList<>();
        for (int g = 0; g < group.size(); g++) {
            for (int i = 0; i < group.get(g).items.size(); i++) {
                order.add(new int[] {g, i});
            }
        }
        order.sort(java.util.Comparator.comparing((int[] x) -> group.get(x[0]).items.get(x[1]).event().at()));
        Admission overlay = admission.overlay();
        java.util.Map<Key, int[]> seen = new java.util.HashMap<>();
        List<EventStore.Stored> accepted = new ArrayList<>();
        List<int[]> acceptedAt = new ArrayList<>();
        java.util.Map<Key, Integer> owner = new java.util.HashMap<>();
        List<Object[]> resent = new ArrayList<>();
        List<EventStore.Stored> lookups = new ArrayList<>();
        List<Object[]> answers = new ArrayList<>(); // this round's rejections (group index, rejection)
        int[][] counts = new int[group.size()][2];
        for (int[] x : order) {
            Request r = group.get(x[0]);
            Item i = r.items.get(x[1]);
            Event e = i.event();
            int[] first = seen.putIfAbsent(new Key(e.community(), e.id()), x);
            if (first != null) {
                // The same id twice in what arrived together (a request sent twice, or a line
                // repeated): counted once when the content is the same, else refused.
                Item f = group.get(first[0]).items.get(first[1]);
                if (EventReader.sameContent(f.text(), i.text())) {
                    counts[x[0]][1]++;
                } else {
                    answers.add(new Object[] {x[0], new Rejection(i.line(), i.index(), e.id(), "id",
                            "id already used by a different event " + (first[0] == x[0] ? "on line " + f.line()
                                    + " of this request" : "of a request sent at the same time")
                                    + "; an event sent again must be sent unchanged, another event needs another id")});
                }
                continue;
            }
            if (refused.contains(i)) {
                continue; // answered in an earlier round
            }
            EventException bad = admission.check(e, overlay);
            if (bad != null) {
                // It may be this very event sent again: "already received", or an event of a
                // ticket archived since it was stored (an export imported twice). A duplicate,
                // not an error, when it is stored already (looked up with the insert).
                resent.add(new Object[] {x, i, bad});
                lookups.add(new EventStore.Stored(e, i.text()));
                continue;
            }
            overlay.record(e);
            accepted.add(new EventStore.Stored(e, i.text()));
            acceptedAt.add(x);
            owner.put(new Key(e.community(), e.id()), x[0]);
        }
        // Duplicates are found by the insert itself (ON CONFLICT DO NOTHING): no query before it.
        // The resent events are looked up in its transaction, so that a failure there stores nothing.
        EventStore.Result result;
        try {
            result = store.insert(accepted, lookups);
        } catch (EventStore.Refused x) {
            for (EventStore.Refusal f : x.refusals()) {
                int p = f.position();
                int[] at = p < accepted.size() ? acceptedAt.get(p) : (int[]) resent.get(p - accepted.size())[0];
                Item i = group.get(at[0]).items.get(at[1]);
                refused.add(i);
                group.get(at[0]).rejected.add(new Rejection(i.line(), i.index(), i.event().id(), f.field(), f.reason()));
            }
            return false;
        } catch (RuntimeException e) {
            uncertain = true;
            throw new Unavailable("the event store is unavailable: " + rootMessage(e), e);
        }
        long[] seqs = result.seqs();
        for (int k = 0; k < accepted.size(); k++) {
            counts[acceptedAt.get(k)[0]][seqs[k] > 0 ? 0 : 1]++;
        }
        for (int k = 0; k < resent.size(); k++) {
            Object[] o = resent.get(k);
            int g = ((int[]) o[0])[0];
            Item i = (Item) o[1];
            EventException bad = (EventException) o[2];
            EventStore.Match m = result.lookups()[k];
            if (m == null) {
                group.get(g).rejected.add(new Rejection(i.line(), i.index(), i.event().id(), bad.field(), bad.reason()));
            } else if (m.same()) {
                counts[g][1]++;
            } else {
                group.get(g).rejected.add(new Rejection(i.line(), i.index(), i.event().id(), "id", m.conflict()));
            }
        }
        for (Object[] a : answers) {
            group.get((int) a[0]).rejected.add((Rejection) a[1]);
        }
        // Only what was stored joins the index: an event whose id was taken before (a duplicate
        // with other content) must not make its ticket known, or events for a ticket that was
        // never received would be stored and acknowledged.
        Admission stored = admission.overlay();
        List<Event> events = new ArrayList<>(accepted.size());
        long[] sequence = new long[accepted.size()];
        for (int k = 0; k < accepted.size(); k++) {
            EventStore.Stored s = accepted.get(k);
            long seq = seqs[k];
            if (seq == 0) {
                continue; // stored before (or by a concurrent writer since the check): a duplicate
            }
            stored.record(s.event());
            sequence[events.size()] = seq;
            events.add(s.event());
            appliedSeq = Math.max(appliedSeq, seq);
        }
        admission.merge(stored);
        CompletableFuture<List<Monitor.Late>> taken = monitor.submit(events,
                java.util.Arrays.copyOf(sequence, events.size()));
        if (afterBatch != null && !events.isEmpty()) {
            afterBatch.accept(events.get(events.size() - 1).at());
        }
        // The events are stored (acknowledged whatever happens next); the answer waits for the
        // engines only to say which came late. This thread does not wait: it stores the next group.
        taken.whenComplete((late, x) -> {
            if (x != null) {
                LOG.error("the engines failed on a stored batch", x);
            }
            for (int g = 0; g < group.size(); g++) {
                Request r = group.get(g);
                List<Monitor.Late> mine = new ArrayList<>();
                if (late != null) {
                    for (Monitor.Late l : late) {
                        Integer o = owner.get(new Key(l.community(), l.id()));
                        if (o != null && o == g) {
                            mine.add(l);
                        }
                    }
                }
                r.rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
                r.done.complete(new Outcome(counts[g][0], counts[g][1], r.rejected, mine));
            }
        });
        return true;
    }

    /**
     * After a store whose outcome was unknown: hands the engines what was stored since the last
     * events they were given, in the order it was stored, as if that store had answered. Fails
     * (and the waiting requests with it) while the database is still away.
     */
    private void catchUp() {
        List<Event> events = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        try {
            store.after(appliedSeq, (e, seq) -> {
                events.add(e);
                seqs.add(seq);
            });
        } catch (RuntimeException e) {
            throw new Unavailable("the event store is unavailable: " + rootMessage(e), e);
        }
        uncertain = false;
        if (events.isEmpty()) {
            return;
        }
        LOG.warn("{} events were stored by a request answered 503; handing them to the engines now", events.size());
        long[] sequence = new long[seqs.size()];
        for (int i = 0; i < sequence.length; i++) {
            sequence[i] = seqs.get(i);
            appliedSeq = Math.max(appliedSeq, sequence[i]);
        }
        java.time.Instant latest = null;
        for (Event e : events) {
            admission.record(e);
            if (latest == null || e.at().isAfter(latest)) {
                latest = e.at();
            }
        }
        monitor.submit(events, sequence);
        if (afterBatch != null) {
            afterBatch.accept(latest);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
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
