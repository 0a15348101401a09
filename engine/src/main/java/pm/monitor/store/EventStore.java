package pm.monitor.store;

import static pm.monitor.store.schema.Tables.EVENTS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep6;
import org.jooq.JSONB;
import org.jooq.Record3;
import org.jooq.Cursor;
import org.jooq.impl.DSL;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.store.schema.tables.records.EventsRecord;

/**
 * The event store: every acknowledged event as it was sent, idempotent by id. It is the
 * source of truth: the monitor's state is rebuilt from it at start-up.
 */
public final class EventStore {
    /** An event and its JSON as sent. */
    public record Stored(Event event, String text) {
    }

    private final DSLContext dsl;

    public EventStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Stores the events in one transaction (durable when this returns) and returns the new ids
     * with their sequence numbers (the order of storage: the order of the list); the others
     * were stored before.
     */
    public java.util.Map<String, Long> insert(List<Stored> events) {
        java.util.Map<String, Long> inserted = new java.util.HashMap<>();
        if (events.isEmpty()) {
            return inserted;
        }
        // COPY into a session's temporary table, then one INSERT ... SELECT from it. Measured on
        // 20,000 events, PostgreSQL spent about half the time on the former statement over
        // arrays (unnest of text arrays whose every JSON quote is escaped, then jsonb[] cast)
        // that it spends on this: COPY's text format is parsed in one pass, and the INSERT keeps
        // ON CONFLICT (duplicates) and RETURNING (sequence numbers) as before. ON COMMIT DELETE
        // ROWS empties the table at every commit; a rollback takes the rows (and a table made in
        // that transaction) with it.
        byte[] data = copyText(events);
        dsl.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE IF NOT EXISTS events_in (ord INT, id VARCHAR(200), "
                            + "community VARCHAR(100), type VARCHAR(40), at TIMESTAMPTZ, ticket VARCHAR(200), body JSONB) "
                            + "ON COMMIT DELETE ROWS");
                }
                c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                        "COPY pg_temp.events_in (ord, id, community, type, at, ticket, body) FROM STDIN",
                        new java.io.ByteArrayInputStream(data));
                try (java.sql.Statement st = c.createStatement();
                     java.sql.ResultSet rs = st.executeQuery(
                             "INSERT INTO events (id, community, type, at, ticket, body) "
                                     + "SELECT id, community, type, at, ticket, body FROM pg_temp.events_in ORDER BY ord "
                                     + "ON CONFLICT (id) DO NOTHING RETURNING id, seq")) {
                    while (rs.next()) {
                        inserted.put(rs.getString(1), rs.getLong(2));
                    }
                }
                c.commit();
            } catch (java.sql.SQLException | java.io.IOException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (java.sql.SQLException r) {
                    e.addSuppressed(r);
                }
                if (e instanceof java.io.IOException io) {
                    throw new java.sql.SQLException("COPY of events failed: " + io.getMessage(), "08006", io);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        return inserted;
    }

    /** The events as COPY text format rows: tab-separated, {@code \N} for null. */
    private static byte[] copyText(List<Stored> events) {
        StringBuilder b = new StringBuilder(events.size() * 256);
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i).event();
            b.append(i).append('\t');
            copyField(b, e.id());
            b.append('\t');
            copyField(b, e.community());
            b.append('\t');
            copyField(b, e.type());
            b.append('\t').append(e.at()).append('\t');
            copyField(b, e instanceof Event.OfTicket t ? t.ticket() : null);
            b.append('\t');
            copyField(b, events.get(i).text());
            b.append('\n');
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void copyField(StringBuilder b, String v) {
        if (v == null) {
            b.append("\\N");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
    }

    /** Which of these ids are stored already. */
    public Set<String> existing(List<String> ids) {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 10_000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 10_000));
            found.addAll(dsl.select(EVENTS.ID).from(EVENTS)
                    .where(EVENTS.ID.eq(DSL.any(chunk.toArray(String[]::new)))).fetch(EVENTS.ID));
        }
        return found;
    }

    /** The latest event time stored, or the epoch when there is none. */
    public Instant latestAt() {
        var at = dsl.select(DSL.max(EVENTS.AT)).from(EVENTS).fetchOne().value1();
        return at == null ? Instant.EPOCH : at.toInstant();
    }

    /**
     * The communities that have stored events (a registration is one), in code order: read by
     * skipping through the (community, at) index, so it costs one probe per community.
     */
    public java.util.SortedSet<String> communities() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        dsl.fetch("WITH RECURSIVE c AS (SELECT min(community) AS x FROM events "
                + "UNION ALL SELECT (SELECT min(community) FROM events WHERE community > c.x) FROM c WHERE c.x IS NOT NULL) "
                + "SELECT x FROM c WHERE x IS NOT NULL").forEach(r -> out.add(r.get(0, String.class)));
        return out;
    }

    public long count() {
        return dsl.fetchCount(EVENTS);
    }

    /** A stored event with its sequence number. */
    public interface SeqSink {
        void accept(Event event, long seq);
    }

    /**
     * Every stored event in the order they must be replayed: per community, by event time,
     * ties in the order they were stored.
     */
    public void forEach(Consumer<Event> sink) {
        forEach(null, Long.MAX_VALUE, (e, seq) -> sink.accept(e));
    }

    /**
     * The stored events of one community (or all, when null) stored up to {@code maxSeq}, in
     * replay order. Events flagged as too late are not part of the live history and are left
     * out (README "Late and out-of-order events").
     */
    public void forEach(String community, long maxSeq, SeqSink sink) {
        EventReader reader = EventReader.stored();
        List<Rejection> broken = new ArrayList<>();
        long[] seq = {0};
        EventReader.Sink s = new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                sink.accept(event, seq[0]);
            }

            @Override
            public void reject(Rejection r) {
                broken.add(r);
            }
        };
        dsl.transaction(c -> {
            // A cursor (fetch size on, autocommit off) keeps a million events out of memory.
            org.jooq.Condition where = EVENTS.SEQ.le(maxSeq).and(EVENTS.FLAG.isNull());
            if (community != null) {
                where = where.and(EVENTS.COMMUNITY.eq(community));
            }
            try (Cursor<Record3<Long, String, JSONB>> cursor = DSL.using(c)
                    .select(EVENTS.SEQ, EVENTS.ID, EVENTS.BODY).from(EVENTS).where(where)
                    .orderBy(EVENTS.COMMUNITY, EVENTS.AT, EVENTS.SEQ).fetchSize(5000).fetchLazy()) {
                for (Record3<Long, String, JSONB> r : cursor) {
                    seq[0] = r.value1();
                    reader.readLine(r.value3().data(), (int) Math.min(Integer.MAX_VALUE, r.value1()), 0, s);
                }
            }
        });
        if (!broken.isEmpty()) {
            throw new IllegalStateException("stored events no longer parse (the contract changed?): " + broken.get(0));
        }
    }

    /**
     * The events stored after sequence number {@code seq}, in the order they were stored: what
     * an insert whose outcome was unknown (the connection lost around the commit) may have left.
     */
    public void after(long seq, SeqSink sink) {
        EventReader reader = EventReader.stored();
        List<Rejection> broken = new ArrayList<>();
        var rows = dsl.select(EVENTS.SEQ, EVENTS.BODY).from(EVENTS).where(EVENTS.SEQ.gt(seq))
                .orderBy(EVENTS.SEQ).fetch();
        for (var r : rows) {
            long s = r.value1();
            reader.readLine(r.value2().data(), (int) Math.min(Integer.MAX_VALUE, s), 0, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String text) {
                    sink.accept(event, s);
                }

                @Override
                public void reject(Rejection x) {
                    broken.add(x);
                }
            });
        }
        if (!broken.isEmpty()) {
            throw new IllegalStateException("stored events no longer parse (the contract changed?): " + broken.get(0));
        }
    }

    /** The highest sequence number stored, 0 when there is none. */
    public long maxSeq() {
        Long max = dsl.select(DSL.max(EVENTS.SEQ)).from(EVENTS).fetchOne().value1();
        return max == null ? 0 : max;
    }

    /**
     * Records that a stored event came {@code lateByMillis} behind its community's clock:
     * {@code flagged} keeps it out of the live history; otherwise it was applied by a rebuild.
     */
    public void markLate(long seq, long lateByMillis, boolean flagged) {
        dsl.update(EVENTS).set(EVENTS.LATE_BY_MS, lateByMillis).set(EVENTS.FLAG, flagged ? "late" : null)
                .where(EVENTS.SEQ.eq(seq)).execute();
    }

    /** The stored events of one ticket, in time order: its timeline. */
    public List<String> ofTicket(String community, String ticket) {
        return dsl.select(EVENTS.BODY).from(EVENTS)
                .where(EVENTS.COMMUNITY.eq(community).and(EVENTS.TICKET.eq(ticket)))
                .orderBy(EVENTS.AT, EVENTS.SEQ).fetch(r -> r.value1().data());
    }
}
