package pm.monitor.store;

import static pm.monitor.store.schema.Tables.EVENTS;
import static pm.monitor.store.schema.Tables.FINDING_REVIEWS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;

/**
 * What late events changed, or would change, among the findings (README "Late and out-of-order
 * events"): the list a person reviews.
 */
public final class ReviewStore {
    /** Applied late: the finding was withdrawn or added. Flagged: it would be. */
    public static final String WITHDRAWN = "withdrawn";
    public static final String ADDED = "added";
    public static final String WOULD_WITHDRAW = "would-withdraw";
    public static final String WOULD_ADD = "would-add";

    /** One finding one late event changed (or would change), as a contract JSON object. */
    public record Change(String community, String eventId, long eventSeq, long lateByMillis, boolean applied,
                         String change, String findingId, Map<String, Object> finding) {
    }

    private final DSLContext dsl;

    public ReviewStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public void insert(List<Change> changes) {
        insert(dsl, changes);
    }

    /**
     * The review of a flagged event: its changes stored and the review no longer owed, in one
     * transaction (a crash in between leaves it owed, and the next start makes it again).
     */
    public void reviewed(long eventSeq, List<Change> changes) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            insert(tx, changes);
            tx.update(EVENTS).setNull(EVENTS.REVIEW_PENDING).where(EVENTS.SEQ.eq(eventSeq)).execute();
        });
    }

    /** A flagged event whose review is still owed (its flag was stored, the process died before its review). */
    public record Owed(Event event, long seq, Duration lateBy) {
    }

    /** The flagged events whose review is still owed, in the order they were stored. */
    public List<Owed> owed() {
        List<Owed> out = new ArrayList<>();
        EventReader reader = EventReader.stored();
        dsl.select(EVENTS.SEQ, EVENTS.LATE_BY_MS, EVENTS.BODY).from(EVENTS).where(EVENTS.REVIEW_PENDING.isTrue())
                .orderBy(EVENTS.SEQ).forEach(r -> reader.readLine(r.value3().data(), 0, 0, new EventReader.Sink() {
                    @Override
                    public void accept(Event event, int line, String text) {
                        out.add(new Owed(event, r.value1(), Duration.ofMillis(r.value2())));
                    }

                    @Override
                    public void reject(Rejection x) {
                        throw new IllegalStateException("stored event " + r.value1() + " no longer parses: " + x);
                    }
                }));
        return out;
    }

    private static void insert(DSLContext dsl, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        var insert = dsl.insertInto(FINDING_REVIEWS, FINDING_REVIEWS.COMMUNITY, FINDING_REVIEWS.EVENT_ID,
                FINDING_REVIEWS.EVENT_SEQ, FINDING_REVIEWS.LATE_BY_MS, FINDING_REVIEWS.APPLIED, FINDING_REVIEWS.CHANGE,
                FINDING_REVIEWS.FINDING_ID, FINDING_REVIEWS.FINDING);
        for (Change c : changes) {
            insert = insert.values(c.community(), c.eventId(), c.eventSeq(), c.lateByMillis(), c.applied(), c.change(),
                    c.findingId(), JSONB.valueOf(Json.write(c.finding())));
        }
        insert.execute();
    }

    /**
     * The late events (flagged, or applied by a rebuild) of these communities (null: all), oldest
     * stored first, each with the findings it changed or would change.
     */
    public List<Map<String, Object>> query(Collection<String> communities, int limit, int offset) {
        Condition c = EVENTS.LATE_BY_MS.isNotNull();
        if (communities != null) {
            c = c.and(EVENTS.COMMUNITY.in(communities));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Map<Long, List<Map<String, Object>>> changes = new HashMap<>();
        dsl.select(EVENTS.SEQ, EVENTS.ID, EVENTS.COMMUNITY, EVENTS.TYPE, EVENTS.AT, EVENTS.FLAG, EVENTS.LATE_BY_MS,
                        EVENTS.STORED_AT)
                .from(EVENTS).where(c).orderBy(EVENTS.SEQ).limit(limit).offset(offset).forEach(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.value2());
                    m.put("community", r.value3());
                    m.put("type", r.value4());
                    m.put("at", r.value5().toInstant().toString());
                    m.put("storedAt", r.value8().toInstant().toString());
                    m.put("lateBy", Duration.ofMillis(r.value7()).toString());
                    m.put("status", r.value6() != null ? "flagged" : "applied");
                    List<Map<String, Object>> list = new ArrayList<>();
                    m.put("changes", list);
                    changes.put(r.value1(), list);
                    out.add(m);
                });
        if (!changes.isEmpty()) {
            dsl.selectFrom(FINDING_REVIEWS).where(FINDING_REVIEWS.EVENT_SEQ.in(changes.keySet()))
                    .orderBy(FINDING_REVIEWS.ID).forEach(r -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("change", r.getChange());
                        m.put("finding", Json.parse(r.getFinding().data()));
                        changes.get(r.getEventSeq()).add(m);
                    });
        }
        return out;
    }

    public long count(Collection<String> communities) {
        Condition c = EVENTS.LATE_BY_MS.isNotNull();
        if (communities != null) {
            c = c.and(EVENTS.COMMUNITY.in(communities));
        }
        return dsl.fetchCount(EVENTS, c);
    }
}
