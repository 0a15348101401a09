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
 * The event store: every acknowledged event as it was sent, idempotent by community and id. It
 * is the source of truth: the monitor's state is rebuilt from it at start-up.
 */
public final class EventStore {
    /**
     * An event and its JSON as sent; {@code flagged}: how far behind its community's clock it
     * came when that is more than the allowed lateness (stored flagged, not applied), else null.
     */
    public record Stored(Event event, String text, java.time.Duration flagged) {
        public Stored(Event event, String text) {
            this(event, text, null);
        }
    }

    private final DSLContext dsl;
    /**
     * How many events are stored, kept by this store from one count at start-up ({@link
     * #countStored}) so that a health check never counts the table (seconds at millions of
     * rows); -1 until counted. {@code countedSeq}: every row up to it is in the count, none after.
     */
    private long stored = -1;
    private long countedSeq;

    public EventStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * What an insert did, by position in the lists it was given. {@code seqs[i]}: the sequence
     * number event i was stored under, or 0 when an event of its community with its id was
     * stored before with the same content (a duplicate). {@code lookups[j]}: the stored event
     * with lookup j's community and id, or null when there is none.
     */
    public record Result(long[] seqs, Match[] lookups) {
        /** How many events were stored now. */
        public int stored() {
            int n = 0;
            for (long s : seqs) {
                if (s > 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** The stored event with an event's community and id: whether it holds the same content, and its type and time. */
    public record Match(boolean same, String type, String at) {
        /** The answer to an event that reuses this one's id with other content. */
        public String conflict() {
            return "id already used by a different event (" + type + " at " + at + ", stored before); an event "
                    + "sent again must be sent unchanged, another event needs another id";
        }
    }

    /** Why the event at {@code position} cannot be stored, with the field to blame (null: none in particular). */
    public record Refusal(int position, String field, String reason) {
    }

    /**
     * Some events cannot be stored: PostgreSQL refuses what they hold, or an event of their
     * community with their id was stored before with other content. Nothing was stored; the
     * caller answers these and tries the others again.
     */
    public static final class Refused extends RuntimeException {
        private final List<Refusal> refusals;

        Refused(List<Refusal> refusals) {
            super(refusals.size() + " events cannot be stored, the first at position " + refusals.get(0).position()
                    + ": " + refusals.get(0).reason(), null, false, false);
            this.refusals = List.copyOf(refusals);
        }

        public List<Refusal> refusals() {
            return refusals;
        }
    }

    /** {@link #insert(List, List)} with nothing to look up. */
    public Result insert(List<Stored> events) {
        return insert(events, List.of());
    }

    /**
     * Stores the events in one transaction (durable when this returns), in the order of the
     * list, and looks up the stored events with the community and id of {@code lookups} (events
     * not to store: the caller refused them, and asks whether they were stored before). An id is
     * unique per community; an event whose id is stored already is a duplicate when the content
     * is the same (as PostgreSQL's jsonb compares: members in any order, numbers by value), and
     * is refused when it is not: then nothing is stored and {@link Refused} says which, so that
     * the caller can take back what the refused event made known (a ticket it received) before
     * it stores the others. Events PostgreSQL refuses for what they hold (a data error, class 22,
     * say a number too large for its numeric type) are found one by one the same way, instead of
     * failing everyone's batch at every retry.
     */
    public Result insert(List<Stored> events, List<Stored> lookups) {
        long[] seqs = new long[events.size()];
        Match[] found = new Match[lookups.size()];
        if (events.isEmpty() && lookups.isEmpty()) {
            return new Result(seqs, found);
        }
        // COPY into a session's temporary table, then one INSERT ... SELECT from it. Measured on
        // 20,000 events, PostgreSQL spent about half the time on the former statement over
        // arrays (unnest of text arrays whose every JSON quote is escaped, then jsonb[] cast)
        // that it spends on this: COPY's text format is parsed in one pass, and the INSERT keeps
        // ON CONFLICT (duplicates) and RETURNING (sequence numbers) as before. ON COMMIT DELETE
        // ROWS empties the table at every commit; a rollback takes the rows (and a table made in
        // that transaction) with it. The lookups ride along (probe) to be compared, not stored.
        List<Refusal> refused = new ArrayList<>();
        dsl.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                load(c, events, lookups, 0, events.size() + lookups.size());
                int stored = 0;
                try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(INSERT
                        + " RETURNING community, id, seq")) {
                    java.util.Map<String, Integer> position = null;
                    while (rs.next()) {
                        if (position == null) {
                            position = new java.util.HashMap<>(events.size() * 2);
                            for (int i = 0; i < events.size(); i++) {
                                position.put(key(events.get(i).event()), i);
                            }
                        }
                        seqs[position.get(rs.getString(1) + '\0' + rs.getString(2))] = rs.getLong(3);
                        stored++;
                    }
                }
                if (stored < events.size() || !lookups.isEmpty()) {
                    // the events not stored now, and the lookups, against what is stored under
                    // their community and id (an event stored now is equal to itself)
                    try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                            "SELECT i.ord, e.body = i.body, e.type, e.body ->> 'at' FROM pg_temp.events_in i "
                                    + "JOIN events e ON e.community = i.community AND e.id = i.id "
                                    + "WHERE i.probe OR e.body <> i.body")) {
                        while (rs.next()) {
                            int ord = rs.getInt(1);
                            Match m = new Match(rs.getBoolean(2), rs.getString(3), rs.getString(4));
                            if (ord < events.size()) {
                                refused.add(new Refusal(ord, "id", m.conflict()));
                            } else {
                                found[ord - events.size()] = m;
                            }
                        }
                    }
                }
                if (refused.isEmpty()) {
                    flag(c, events, seqs);
                    c.commit();
                    List<Long> fresh = new ArrayList<>(stored);
                    for (long seq : seqs) {
                        if (seq > 0) {
                            fresh.add(seq);
                        }
                    }
                    counted(fresh);
                } else {
                    c.rollback();
                }
            } catch (java.sql.SQLException | java.io.IOException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (java.sql.SQLException r) {
                    e.addSuppressed(r);
                }
                if (e instanceof java.sql.SQLException x && refusedForData(x)) {
                    refused.addAll(locate(c, events, lookups));
                    c.rollback();
                    if (!refused.isEmpty()) {
                        return;
                    }
                }
                if (e instanceof java.io.IOException io) {
                    throw new java.sql.SQLException("COPY of events failed: " + io.getMessage(), "08006", io);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        if (!refused.isEmpty()) {
            refused.sort(java.util.Comparator.comparingInt(Refusal::position));
            throw new Refused(refused);
        }
        return new Result(seqs, found);
    }

    /**
     * In the insert's transaction: the late flag of the events stored now that came later than
     * the allowed lateness, with their review owed (README "Late and out-of-order events"). A
     * crash after the commit keeps the flag: the restart leaves them out of the live history
     * and makes their reviews.
     */
    private static void flag(java.sql.Connection c, List<Stored> events, long[] stored) throws java.sql.SQLException {
        List<Long> seqs = new ArrayList<>();
        List<Long> lateBy = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Stored s = events.get(i);
            if (s.flagged() != null && stored[i] > 0) {
                seqs.add(stored[i]);
                lateBy.add(s.flagged().toMillis());
            }
        }
        if (seqs.isEmpty()) {
            return;
        }
        try (java.sql.PreparedStatement st = c.prepareStatement("UPDATE events SET flag = 'late', late_by_ms = f.late, "
                + "review_pending = true FROM unnest(?::bigint[], ?::bigint[]) AS f(seq, late) WHERE events.seq = f.seq")) {
            st.setArray(1, c.createArrayOf("bigint", seqs.toArray(new Long[0])));
            st.setArray(2, c.createArrayOf("bigint", lateBy.toArray(new Long[0])));
            st.executeUpdate();
        }
    }

    private static final String INSERT = "INSERT INTO events (id, community, type, at, ticket, body) "
            + "SELECT id, community, type, at, ticket, body FROM pg_temp.events_in WHERE NOT probe ORDER BY ord "
            + "ON CONFLICT (community, id) DO NOTHING";

    private static String key(Event e) {
        return e.community() + '\0' + e.id(); // no stored string holds U+0000
    }

    /** Copies events and lookups {@code from} to {@code to} (positions over both lists) into the temporary table. */
    private static void load(java.sql.Connection c, List<Stored> events, List<Stored> lookups, int from, int to)
            throws java.sql.SQLException, java.io.IOException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS events_in (ord INT, id VARCHAR(200), community VARCHAR(100), "
                    + "type VARCHAR(40), at TIMESTAMPTZ, ticket VARCHAR(200), body JSONB, probe BOOLEAN) "
                    + "ON COMMIT DELETE ROWS");
        }
        c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                "COPY pg_temp.events_in (ord, id, community, type, at, ticket, body, probe) FROM STDIN",
                new java.io.ByteArrayInputStream(copyText(events, lookups, from, to)));
    }

    /**
     * After PostgreSQL refused a batch for what it holds: which events it refuses, each tried
     * with the others of its half (halves of halves down to one event, each under a savepoint
     * and rolled back), so that one bad event among 20,000 costs some 30 small statements.
     */
    private static List<Refusal> locate(java.sql.Connection c, List<Stored> events, List<Stored> lookups)
            throws java.sql.SQLException, java.io.IOException {
        List<Refusal> out = new ArrayList<>();
        java.util.ArrayDeque<int[]> ranges = new java.util.ArrayDeque<>();
        ranges.push(new int[] {0, events.size() + lookups.size()});
        while (!ranges.isEmpty()) {
            int[] r = ranges.pop();
            java.sql.Savepoint sp = c.setSavepoint();
            java.sql.SQLException failure = null;
            try {
                load(c, events, lookups, r[0], r[1]);
                try (java.sql.Statement st = c.createStatement()) {
                    st.executeUpdate(INSERT);
                }
            } catch (java.sql.SQLException x) {
                failure = x;
            }
            c.rollback(sp);
            if (failure == null) {
                continue;
            }
            if (!refusedForData(failure)) {
                throw failure; // the database went away meanwhile: the caller's answer is "unavailable"
            }
            if (r[1] - r[0] == 1) {
                out.add(new Refusal(r[0], null, "PostgreSQL cannot store this event: " + serverMessage(failure)));
            } else {
                int mid = (r[0] + r[1]) >>> 1;
                ranges.push(new int[] {mid, r[1]});
                ranges.push(new int[] {r[0], mid});
            }
        }
        return out;
    }

    /** SQLSTATE classes of a refusal that depends on the data sent: 21 cardinality, 22 data, 23 integrity. */
    private static boolean refusedForData(java.sql.SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("21") || state.startsWith("22") || state.startsWith("23"));
    }

    private static String serverMessage(java.sql.SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return e.getMessage();
    }

    /**
     * Events and lookups {@code from} to {@code to} (positions over both lists, the position as
     * ord) as COPY text format rows: tab-separated, {@code \N} for null.
     */
    private static byte[] copyText(List<Stored> events, List<Stored> lookups, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 256);
        for (int i = from; i < to; i++) {
            boolean probe = i >= events.size();
            Stored s = probe ? lookups.get(i - events.size()) : events.get(i);
            Event e = s.event();
            b.append(i).append('\t');
            copyField(b, e.id());
            b.append('\t');
            copyField(b, e.community());
            if (probe) {
                // only compared by community, id and body: a lookup's time may be one the
                // store cannot hold (a year no calendar covers is why it was refused)
                b.append("\t\\N\t\\N\t\\N\t");
            } else {
                b.append('\t');
                copyField(b, e.type());
                b.append('\t').append(e.at()).append('\t');
                copyField(b, e instanceof Event.OfTicket t ? t.ticket() : null);
                b.append('\t');
            }
            copyField(b, s.text());
            b.append(probe ? "\tt\n" : "\tf\n");
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

    /** Which of these ids are stored already, in any community. */
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
     * The same as {@link #latestAt} (null when nothing is stored), read through the (community, at)
     * index one community at a time rather than by a scan of every event: cheap enough to ask
     * each second.
     */
    public Instant newestAt() {
        java.time.OffsetDateTime at = dsl.fetchOne("WITH RECURSIVE c AS (SELECT min(community) AS x FROM events "
                + "UNION ALL SELECT (SELECT min(community) FROM events WHERE community > c.x) FROM c WHERE c.x IS NOT NULL) "
                + "SELECT max((SELECT max(e.at) FROM events e WHERE e.community = c.x)) FROM c WHERE c.x IS NOT NULL")
                .get(0, java.time.OffsetDateTime.class);
        return at == null ? null : at.toInstant();
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

    /** Counts the stored events once (at start-up, before ingest); {@link #stored} is kept from then on. */
    public void countStored() {
        var r = dsl.select(DSL.count(), DSL.max(EVENTS.SEQ)).from(EVENTS).fetchOne();
        synchronized (this) {
            stored = r.value1();
            countedSeq = r.value2() == null ? 0 : r.value2();
        }
    }

    /** The events stored, without a query: -1 before {@link #countStored}. */
    public synchronized long stored() {
        return stored;
    }

    /** Rows whose storage became known (committed inserts, or found by {@link #after}). */
    private synchronized void counted(java.util.Collection<Long> seqs) {
        if (stored < 0) {
            return;
        }
        for (long seq : seqs) {
            if (seq > countedSeq) {
                stored++;
            }
        }
        for (long seq : seqs) {
            countedSeq = Math.max(countedSeq, seq);
        }
    }

    /** A trivial query answered within {@code seconds}, or an exception: is the database there. */
    public void ping(int seconds) {
        dsl.connection(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.setQueryTimeout(seconds);
                st.execute("SELECT 1");
            }
        });
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
     * One ticket's stored events in replay order (by event time, ties as stored), those flagged
     * too late left out: what brings back a ticket that left memory untouched (issue 17.16).
     */
    public List<Event> historyOf(String community, String ticket) {
        EventReader reader = EventReader.stored();
        List<Event> out = new ArrayList<>();
        List<Rejection> broken = new ArrayList<>();
        for (var r : dsl.select(EVENTS.SEQ, EVENTS.BODY).from(EVENTS)
                .where(EVENTS.COMMUNITY.eq(community), EVENTS.TICKET.eq(ticket), EVENTS.FLAG.isNull())
                .orderBy(EVENTS.AT, EVENTS.SEQ).fetch()) {
            reader.readLine(r.value2().data(), (int) Math.min(Integer.MAX_VALUE, r.value1()), 0, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String text) {
                    out.add(event);
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
        return out;
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
        // what an insert whose answer was lost had stored is counted now
        counted(rows.map(r -> r.value1()));
    }

    /**
     * The events stored after sequence number {@code seq} that were stored flagged: sequence
     * number → how late (millis). With {@link #after}, what a lost commit stored.
     */
    public java.util.Map<Long, Long> flaggedAfter(long seq) {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        dsl.select(EVENTS.SEQ, EVENTS.LATE_BY_MS).from(EVENTS).where(EVENTS.SEQ.gt(seq).and(EVENTS.FLAG.isNotNull()))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
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
