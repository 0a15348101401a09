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
public final class Ingest implements Intake, AutoCloseable {
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

    /**
     * {@code deadline} (System.nanoTime): until when its events about a ticket not yet received
     * may wait for a concurrent request's receipt; 0 for a request as sent (it starts at its
     * first round).
     */
    private record Request(List<Item> items, List<Rejection> rejected, CompletableFuture<Outcome> done, long deadline) {
    }

    /**
     * How long an event about a ticket not yet received waits for its receipt from a request that
     * is on its way. Two senders that share communities send a ticket's receipt and its next
     * event in two requests at once; the second may reach this thread first (its body was
     * smaller, or parsed sooner). Rather than refuse it as "unknown ticket", it waits while some
     * request is still arriving (its body read or parsed: see {@link #arriving}), and is taken
     * with the next group, in event-time order with that group's events, so the receipt comes
     * first. The simplest design that is correct whatever the timing: nothing waits when no
     * request is arriving (one sender, a wrong ticket id: answered at once), and the wait is
     * bounded (a ticket that never comes is refused after it, as before).
     */
    static final long WAIT_FOR_RECEIPT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final EventStore store;
    private final Admission admission;
    private final Monitor monitor;
    /** Where an event's community's clock is, to refuse one too far ahead and flag one too late; null: neither. */
    private final Clocks clocks;
    /** Requests on their way (body being read or parsed), not yet submitted. */
    private final java.util.concurrent.atomic.AtomicInteger arriving = new java.util.concurrent.atomic.AtomicInteger();
    /** Events waiting for a concurrent request's receipt (a request each, with its deadline); ingest thread only. */
    private final List<Request> waiting = new ArrayList<>();
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
     * The communities whose engines run here: all on one node; in a cluster those of the
     * partitions this instance owns (pm.monitor.cluster.PartitionOwner), so that a catch-up after
     * an uncertain store does not start engines for another instance's communities.
     */
    private volatile java.util.function.Predicate<String> mine = c -> true;

    /**
     * @param afterBatch told the latest event time of each stored batch (the event clock moves
     *                   with it); null when the wall clock moves time
     * @param appliedSeq the highest sequence number of the stored events the monitor was given
     *                   (by the rebuild)
     */
    public Ingest(EventStore store, Admission admission, Monitor monitor,
                  java.util.function.Consumer<java.time.Instant> afterBatch, long appliedSeq) {
        this(store, admission, monitor, afterBatch, appliedSeq, null);
    }

    /**
     * @param clocks the communities' clocks: events too far ahead of theirs are refused, those
     *               later than the allowed lateness stored flagged; null: every event is taken as it comes
     */
    public Ingest(EventStore store, Admission admission, Monitor monitor,
                  java.util.function.Consumer<java.time.Instant> afterBatch, long appliedSeq, Clocks clocks) {
        this.clocks = clocks;
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
    @Override
    public CompletableFuture<Outcome> submit(List<Item> items, List<Rejection> rejected) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        queue.add(new Request(items, new ArrayList<>(rejected), done, 0));
        return done;
    }

    /**
     * A request is on its way (its body is read or parsed): until the returned action runs (at
     * its {@link #submit}, or when it ends without one; running it twice counts once), an event
     * of another request about a ticket not yet received waits for it (see {@link #WAIT_FOR_RECEIPT_NANOS}).
     */
    /** How many requests are on their way now (tests wait for one before sending the next). */
    public int arrivingNow() {
        return arriving.get();
    }

    @Override
    public Runnable arriving() {
        arriving.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                arriving.decrementAndGet();
            }
        };
    }

    /** Only these communities' events are caught up after an uncertain store (see {@link #mine}). */
    public void owning(java.util.function.Predicate<String> communities) {
        this.mine = communities;
    }

    private void run() {
        while (!closing || !queue.isEmpty() || !waiting.isEmpty()) {
            List<Request> group = new ArrayList<>();
            try {
                Request first = queue.poll(waiting.isEmpty() ? 100 : 5, TimeUnit.MILLISECONDS);
                if (first == null) {
                    // Nothing new: the waiting events are taken again (and refused if their ticket
                    // is still unknown) once no request is on its way, or their time is up.
                    if (!waiting.isEmpty() && (closing || arriving.get() == 0 || expired(waiting))) {
                        group.addAll(waiting);
                        waiting.clear();
                        process(group);
                    }
                    continue;
                }
                group.add(first);
                int size = first.items.size();
                Request next;
                while (size < MAX_GROUP && (next = queue.peek()) != null) {
                    group.add(queue.poll());
                    size += next.items.size();
                }
                // what waits for a receipt is taken again with what came now
                group.addAll(waiting);
                waiting.clear();
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

    private static boolean expired(List<Request> requests) {
        long now = System.nanoTime();
        for (Request r : requests) {
            if (now - r.deadline >= 0) {
                return true;
            }
        }
        return false;
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
            // Too far ahead of its community's clock (or the wall clock): a wrong date, refused
            // before it can move the clock. (Not a resend: a stored event was not ahead when
            // stored, and the clocks only move forward.)
            EventException far = clocks == null ? null
                    : clocks.ahead(e, admission.latest(e.community(), overlay), admission.newest(overlay));
            if (far != null) {
                answers.add(new Object[] {x[0], new Rejection(i.line(), i.index(), e.id(), far.field(), far.reason())});
                continue;
            }
            EventException bad = admission.check(e, overlay);
            if (bad != null) {
                // It may be this very event sent again: "already received", or an event of a
                // ticket archived since it was stored (an export imported twice). A duplicate,
                // not an error, when it is stored already (looked up with the insert). Or its
                // ticket's receipt is in a request still on its way.
                resent.add(new Object[] {x, i, bad, admission.unknownTicket(e, overlay)});
                lookups.add(new EventStore.Stored(e, i.text()));
                continue;
            }
            // Later than the allowed lateness behind its community's clock: stored flagged, the
            // flag in the same transaction as the event (a crash cannot leave it unflagged).
            java.time.Duration late = clocks == null ? null : clocks.flagged(e, admission.latest(e.community(), overlay),
                    admission.latest(e.community(), admission) == Long.MIN_VALUE);
            overlay.record(e);
            accepted.add(new EventStore.Stored(e, i.text(), late));
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
        long now = System.nanoTime();
        List<List<Item>> held = new ArrayList<>(java.util.Collections.nCopies(group.size(), null));
        for (int k = 0; k < resent.size(); k++) {
            Object[] o = resent.get(k);
            int g = ((int[]) o[0])[0];
            Item i = (Item) o[1];
            EventException bad = (EventException) o[2];
            EventStore.Match m = result.lookups()[k];
            Request r = group.get(g);
            if (m == null && (Boolean) o[3] && !closing && arriving.get() > 0
                    && (r.deadline == 0 || now - r.deadline < 0)) {
                if (held.get(g) == null) {
                    held.set(g, new ArrayList<>());
                }
                held.get(g).add(i);
            } else if (m == null) {
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
        // Each request with events waiting for a receipt answers once they are taken or refused:
        // they go on as a request of their own, whose outcome joins this one's.
        Request[] waits = new Request[group.size()];
        for (int g = 0; g < group.size(); g++) {
            if (held.get(g) != null) {
                Request r = group.get(g);
                waits[g] = new Request(held.get(g), new ArrayList<>(), new CompletableFuture<>(),
                        r.deadline == 0 ? now + WAIT_FOR_RECEIPT_NANOS : r.deadline);
                waiting.add(waits[g]);
            }
        }
        // Only what was stored joins the index: an event whose id was taken before (a duplicate
        // with other content) must not make its ticket known, or events for a ticket that was
        // never received would be stored and acknowledged.
        Admission stored = admission.overlay();
        List<Event> events = new ArrayList<>(accepted.size());
        long[] sequence = new long[accepted.size()];
        java.time.Duration[] flags = new java.time.Duration[accepted.size()];
        for (int k = 0; k < accepted.size(); k++) {
            EventStore.Stored s = accepted.get(k);
            long seq = seqs[k];
            if (seq == 0) {
                continue; // stored before (or by a concurrent writer since the check): a duplicate
            }
            stored.record(s.event());
            sequence[events.size()] = seq;
            flags[events.size()] = s.flagged();
            events.add(s.event());
            appliedSeq = Math.max(appliedSeq, seq);
        }
        admission.merge(stored);
        CompletableFuture<List<Monitor.Late>> taken = monitor.submit(events,
                java.util.Arrays.copyOf(sequence, events.size()), java.util.Arrays.copyOf(flags, events.size()));
        if (afterBatch != null && !events.isEmpty()) {
            afterBatch.accept(events.get(events.size() - 1).at()); // the newest: they are in event-time order
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
                Outcome outcome = new Outcome(counts[g][0], counts[g][1], r.rejected, mine);
                if (waits[g] == null) {
                    r.rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
                    r.done.complete(outcome);
                } else {
                    waits[g].done.whenComplete((rest, y) -> {
                        if (y != null) {
                            r.done.completeExceptionally(y);
                        } else {
                            r.done.complete(join(outcome, rest));
                        }
                    });
                }
            }
        });
        return true;
    }

    /** One request's answer from the outcomes of its rounds. */
    private static Outcome join(Outcome a, Outcome b) {
        List<Rejection> rejected = new ArrayList<>(a.rejected());
        rejected.addAll(b.rejected());
        rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
        List<Monitor.Late> late = new ArrayList<>(a.late());
        late.addAll(b.late());
        return new Outcome(a.accepted() + b.accepted(), a.duplicates() + b.duplicates(), rejected, late);
    }

    /**
     * After a store whose outcome was unknown: hands the engines what was stored since the last
     * events they were given, in the order it was stored, as if that store had answered. Fails
     * (and the waiting requests with it) while the database is still away.
     */
    private void catchUp() {
        List<Event> events = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        java.util.Map<Long, Long> flagged;
        try {
            store.after(appliedSeq, (e, seq) -> {
                if (mine.test(e.community())) {
                    events.add(e);
                    seqs.add(seq);
                }
            });
            flagged = store.flaggedAfter(appliedSeq);
        } catch (RuntimeException e) {
            throw new Unavailable("the event store is unavailable: " + rootMessage(e), e);
        }
        uncertain = false;
        if (events.isEmpty()) {
            return;
        }
        LOG.warn("{} events were stored by a request answered 503; handing them to the engines now", events.size());
        long[] sequence = new long[seqs.size()];
        java.time.Duration[] flags = new java.time.Duration[seqs.size()];
        for (int i = 0; i < sequence.length; i++) {
            sequence[i] = seqs.get(i);
            Long late = flagged.get(sequence[i]);
            flags[i] = late == null ? null : java.time.Duration.ofMillis(late);
            appliedSeq = Math.max(appliedSeq, sequence[i]);
        }
        java.time.Instant latest = null;
        for (Event e : events) {
            admission.record(e);
            if (latest == null || e.at().isAfter(latest)) {
                latest = e.at();
            }
        }
        monitor.submit(events, sequence, flags);
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
