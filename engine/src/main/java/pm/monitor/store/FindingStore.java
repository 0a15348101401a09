package pm.monitor.store;

import static pm.monitor.store.schema.Tables.FINDINGS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;

/** Findings under their stable id: storing one again changes nothing. */
public final class FindingStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FindingStore.class);
    private static final int CHUNK = 10_000;
    private final DSLContext dsl;

    public FindingStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Stores the findings and returns those that were new (or withdrawn before, see
     * {@link #withdraw}), in the given order.
     */
    public List<Finding> insert(List<Finding> given) {
        List<Finding> fresh = new ArrayList<>();
        if (given.isEmpty()) {
            return fresh;
        }
        // An id twice in one statement is an error with ON CONFLICT DO UPDATE ("cannot affect
        // row a second time"), which would fail the whole batch for good: the same id is the
        // same finding, so the first stands for both.
        Map<String, Finding> byId = new LinkedHashMap<>(given.size() * 2);
        for (Finding f : given) {
            byId.putIfAbsent(f.id(), f);
        }
        if (byId.size() < given.size()) {
            LOG.warn("{} findings repeat an id of the same batch; the first of each stored", given.size() - byId.size());
        }
        List<Finding> findings = byId.size() < given.size() ? new ArrayList<>(byId.values()) : given;
        Set<String> inserted = new HashSet<>();
        // One statement over arrays, as for events: cheap whatever the batch size.
        dsl.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO findings (id, rule, kind, community, subject, at, due_at, notify, clause, details, rules_version) "
                            + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
                            + "?::timestamptz[], ?::timestamptz[], ?::varchar[], ?::varchar[], ?::jsonb[], ?::varchar[]) "
                            // A withdrawn finding found again is live again (and new to its receivers).
                            + "ON CONFLICT (id) DO UPDATE SET withdrawn_at = NULL, withdrawn_reason = NULL "
                            + "WHERE findings.withdrawn_at IS NOT NULL RETURNING id")) {
                for (int from = 0; from < findings.size(); from += CHUNK) {
                    List<Finding> chunk = findings.subList(from, Math.min(findings.size(), from + CHUNK));
                    int n = chunk.size();
                    String[][] cols = new String[11][n];
                    for (int i = 0; i < n; i++) {
                        Finding f = chunk.get(i);
                        cols[0][i] = f.id();
                        cols[1][i] = f.rule();
                        cols[2][i] = f.kind();
                        cols[3][i] = f.community();
                        cols[4][i] = f.subject();
                        cols[5][i] = f.at().toString();
                        cols[6][i] = f.dueAt() == null ? null : f.dueAt().toString();
                        cols[7][i] = f.role();
                        cols[8][i] = f.clause();
                        cols[9][i] = Json.details(f.details());
                        cols[10][i] = f.rulesVersion();
                    }
                    for (int k = 0; k < 11; k++) {
                        ps.setArray(k + 1, c.createArrayOf("varchar", cols[k]));
                    }
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            inserted.add(rs.getString(1));
                        }
                    }
                }
                c.commit();
            } catch (java.sql.SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        for (Finding f : findings) {
            if (inserted.remove(f.id())) {
                fresh.add(f);
            }
        }
        return fresh;
    }

    /** Every stored id: a rebuild skips these instead of asking the database for each. */
    public Set<String> ids() {
        return new HashSet<>(dsl.select(FINDINGS.ID).from(FINDINGS).fetch(FINDINGS.ID));
    }

    public DSLContext dsl() {
        return dsl;
    }

    public long count() {
        return dsl.fetchCount(FINDINGS);
    }

    /** Filters of {@code GET /api/findings}; null means any. */
    public record Filter(List<String> communities, String rule, String kind, String role, String subject,
                         Instant from, Instant to) {
        Condition condition() {
            Condition c = FINDINGS.WITHDRAWN_AT.isNull();
            if (communities != null) {
                c = c.and(FINDINGS.COMMUNITY.in(communities));
            }
            if (rule != null) {
                c = rule.endsWith("*") ? c.and(FINDINGS.RULE.startsWith(rule.substring(0, rule.length() - 1)))
                        : c.and(FINDINGS.RULE.eq(rule));
            }
            if (kind != null) {
                c = c.and(FINDINGS.KIND.eq(kind));
            }
            if (role != null) {
                c = c.and(FINDINGS.NOTIFY.eq(role));
            }
            if (subject != null) {
                c = c.and(FINDINGS.SUBJECT.eq(subject));
            }
            if (from != null) {
                c = c.and(FINDINGS.AT.ge(from.atOffset(ZoneOffset.UTC)));
            }
            if (to != null) {
                c = c.and(FINDINGS.AT.lt(to.atOffset(ZoneOffset.UTC)));
            }
            return c;
        }
    }

    /** A page of findings, newest first, as contract JSON objects (times in UTC offset form). */
    public List<Map<String, Object>> query(Filter filter, int limit, int offset) {
        return dsl.selectFrom(FINDINGS).where(filter.condition())
                .orderBy(FINDINGS.AT.desc(), FINDINGS.ID).limit(limit).offset(offset)
                .fetch(FindingStore::toMap);
    }

    /** A stored finding as the API writes it (also the ticket timeline's, in ReportStore). */
    static Map<String, Object> toMap(pm.monitor.store.schema.tables.records.FindingsRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("rule", r.getRule());
        m.put("kind", r.getKind());
        m.put("community", r.getCommunity());
        m.put("subject", r.getSubject());
        m.put("at", r.getAt().toInstant().toString());
        m.put("dueAt", r.getDueAt() == null ? null : r.getDueAt().toInstant().toString());
        m.put("notify", r.getNotify());
        m.put("clause", r.getClause());
        m.put("details", Json.parse(r.getDetails().data()));
        m.put("rulesVersion", r.getRulesVersion());
        return m;
    }

    /**
     * The live (not withdrawn) findings of a community stamped at or after {@code from} and
     * after {@code after} (null: any), by id, as contract JSON objects.
     */
    public Map<String, Map<String, Object>> live(String community, Instant from, Instant after) {
        Condition c = FINDINGS.COMMUNITY.eq(community).and(FINDINGS.WITHDRAWN_AT.isNull())
                .and(FINDINGS.AT.ge(from.atOffset(ZoneOffset.UTC)));
        if (after != null) {
            c = c.and(FINDINGS.AT.gt(after.atOffset(ZoneOffset.UTC)));
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        dsl.selectFrom(FINDINGS).where(c).orderBy(FINDINGS.AT, FINDINGS.ID).forEach(r -> out.put(r.getId(), toMap(r)));
        return out;
    }

    /** Where a reader of findings in storage order stands: after this finding. */
    public record Cursor(java.time.OffsetDateTime storedAt, String id) {
    }

    /** The position of a stored finding in storage order, or null for an id never stored. */
    public Cursor cursorOf(String findingId) {
        var r = dsl.select(FINDINGS.STORED_AT, FINDINGS.ID).from(FINDINGS).where(FINDINGS.ID.eq(findingId)).fetchOne();
        return r == null ? null : new Cursor(r.value1(), r.value2());
    }

    /**
     * The live findings stored after {@code cursor}, in storage order (stored_at, id: the order the
     * one finding writer committed them, and the live stream published them), of the given
     * communities (null: all), at most {@code limit}. For a stream client that reconnects with
     * the last id it saw ({@code Last-Event-ID}).
     */
    public List<Finding> storedAfter(Cursor cursor, Set<String> communities, int limit,
                                     java.util.function.Function<String, java.time.ZoneId> zoneOf) {
        Condition c = DSL.row(FINDINGS.STORED_AT, FINDINGS.ID).gt(cursor.storedAt(), cursor.id())
                .and(FINDINGS.WITHDRAWN_AT.isNull());
        if (communities != null) {
            c = c.and(FINDINGS.COMMUNITY.in(communities));
        }
        Map<String, java.time.ZoneId> zones = new java.util.HashMap<>();
        return dsl.selectFrom(FINDINGS).where(c).orderBy(FINDINGS.STORED_AT, FINDINGS.ID).limit(limit)
                .fetch(r -> read(r, zones.computeIfAbsent(r.getCommunity(), zoneOf)));
    }

    /** A stored finding as the engines made it, in its community's zone. */
    public static Finding read(pm.monitor.store.schema.tables.records.FindingsRecord r, java.time.ZoneId zone) {
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) Json.parse(r.getDetails().data());
        return new Finding(r.getId(), r.getRule(), r.getKind(), r.getCommunity(), r.getSubject(),
                r.getAt().toInstant(), r.getDueAt() == null ? null : r.getDueAt().toInstant(),
                r.getNotify(), r.getClause(), details, r.getRulesVersion(), zone);
    }

    /**
     * The live findings judged at a deadline (warnings, violations and alerts of duties) of some
     * subjects of a community: id, rule, kind, subject and details. A rebuild reads them to know
     * which duties were reported already (Monitor.unreported).
     */
    public List<Map<String, Object>> ofDuties(String community, java.util.Collection<String> subjects) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (subjects.isEmpty()) {
            return out;
        }
        dsl.select(FINDINGS.ID, FINDINGS.RULE, FINDINGS.KIND, FINDINGS.SUBJECT, FINDINGS.DETAILS).from(FINDINGS)
                .where(FINDINGS.COMMUNITY.eq(community).and(FINDINGS.SUBJECT.in(subjects))
                        .and(FINDINGS.DUE_AT.isNotNull()).and(FINDINGS.WITHDRAWN_AT.isNull()))
                .forEach(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.value1());
                    m.put("rule", r.value2());
                    m.put("kind", r.value3());
                    m.put("subject", r.value4());
                    m.put("details", Json.parse(r.value5().data()));
                    out.add(m);
                });
        return out;
    }

    /** Takes findings out of the live set, kept for review with why. */
    public void withdraw(java.util.Collection<String> ids, String reason) {
        if (ids.isEmpty()) {
            return;
        }
        dsl.update(FINDINGS).set(FINDINGS.WITHDRAWN_AT, java.time.OffsetDateTime.now(ZoneOffset.UTC))
                .set(FINDINGS.WITHDRAWN_REASON, reason)
                .where(FINDINGS.ID.in(ids).and(FINDINGS.WITHDRAWN_AT.isNull())).execute();
    }

    public long count(Filter filter) {
        return dsl.fetchCount(FINDINGS, filter.condition());
    }
}
