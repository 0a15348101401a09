package pm.monitor.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import pm.monitor.event.Event;
import pm.monitor.store.EventStore;
import pm.monitor.store.FindingStore;
import pm.monitor.store.FindingWriter;
import pm.monitor.store.ReviewStore;

/**
 * What the live monitor needs to take events that arrive behind their community's clock
 * (README "Late and out-of-order events"): the allowed lateness, the stored history to rebuild
 * from, the live findings to compare with, and where flags, withdrawals and reviews go. The
 * monitor calls it from its shard threads; every call may block on the database.
 */
public final class Lateness {
    /** The default allowed lateness, in event time. */
    public static final Duration DEFAULT = Duration.ofMinutes(10);

    private final Duration limit;
    private final EventStore events;
    private final FindingStore findings;
    private final FindingWriter writer;
    private final ReviewStore reviews;

    public Lateness(Duration limit, EventStore events, FindingStore findings, FindingWriter writer,
                    ReviewStore reviews) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("the allowed lateness cannot be negative: " + limit);
        }
        this.limit = limit;
        this.events = events;
        this.findings = findings;
        this.writer = writer;
        this.reviews = reviews;
    }

    public Duration limit() {
        return limit;
    }

    /** The community's live history (flagged events left out) stored up to {@code maxSeq}, in replay order. */
    public void replay(String community, long maxSeq, EventStore.SeqSink sink) {
        events.forEach(community, maxSeq, sink);
    }

    /**
     * The community's live findings stamped after {@code after} (null: all), once every finding
     * handed to the writer so far is stored.
     */
    public Map<String, Map<String, Object>> live(String community, Instant after) {
        try {
            if (!writer.flushHanded(60_000)) {
                throw new IllegalStateException("findings not stored within 60 s; the database is down?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing findings", e);
        }
        return findings.live(community, Instant.EPOCH, after);
    }

    /**
     * Marks a stored event applied late by a rebuild. (A flagged event's flag is stored with the
     * event itself, see {@link Clocks}.)
     */
    public void markApplied(long seq, Duration lateBy) {
        events.markLate(seq, lateBy.toMillis(), false);
    }

    public void withdraw(Collection<String> ids, String reason) {
        findings.withdraw(ids, reason);
    }

    public void review(List<ReviewStore.Change> changes) {
        reviews.insert(changes);
    }

    /** The review of a flagged event, stored with the review no longer owed (one transaction). */
    public void reviewed(long seq, List<ReviewStore.Change> changes) {
        reviews.reviewed(seq, changes);
    }

    /** A late event with its stored sequence number. */
    record Pending(Event event, long seq, Duration lateBy) {
    }
}
