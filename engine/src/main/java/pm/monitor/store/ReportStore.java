package pm.monitor.store;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.jsonbGetAttributeAsText;
import static pm.monitor.store.schema.Tables.EVENTS;
import static pm.monitor.store.schema.Tables.FINDINGS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The dashboard's read-only queries over stored events and findings: the community directory,
 * rule hits over a period, violations per rule for the monthly report, a ticket's findings.
 * Counting happens in PostgreSQL so that 100,000 findings never travel to the page.
 */
public final class ReportStore {
    /** A community as it last registered; name and zone are null when it sent no registration. */
    public record Registration(String community, String name, String zone) {
    }

    /** Findings of one rule, community and kind in a period. */
    public record Hits(String rule, String community, String kind, long count) {
    }

    // Inlined, not bound: PostgreSQL matches an expression or partial index (V20) only against
    // literals in the statement, and a prepared statement's generic plan has none.
    private static final Field<String> DETAILS_TICKET = jsonbGetAttributeAsText(FINDINGS.DETAILS, inline("ticket"));
    private static final Condition REGISTRATION = EVENTS.TYPE.eq(inline("community.registered"));

    private final DSLContext dsl;

    public ReportStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * A ticket received in a period with the first time of each step after it (null: not yet):
     * what the dashboard's time metrics are made of.
     */
    public record TicketSteps(String community, String ticket, String kind, String category, String channel,
                              Instant received, Instant contacted, Instant replied, Instant arrived, Instant resolved,
                              Instant followedUp) {
    }

    /**
     * The tickets received in [from, to) (the caller widens the range by a day and keeps each
     * community's own local period) with the first contact, reply, arrival, resolution and
     * follow-up of each, for the given communities (null: all). One grouped join in PostgreSQL.
     */
    public List<TicketSteps> ticketSteps(Collection<String> communities, Instant from, Instant to) {
        var e = EVENTS.as("e");
        Field<java.time.OffsetDateTime> at = e.AT;
        Condition where = EVENTS.TYPE.eq(inline("ticket.received")).and(EVENTS.AT.ge(from.atOffset(ZoneOffset.UTC)))
                .and(EVENTS.AT.lt(to.atOffset(ZoneOffset.UTC)));
        if (communities != null) {
            where = where.and(EVENTS.COMMUNITY.in(communities));
        }
        return dsl.select(EVENTS.COMMUNITY, EVENTS.TICKET, jsonbGetAttributeAsText(EVENTS.BODY, inline("kind")),
                        jsonbGetAttributeAsText(EVENTS.BODY, inline("category")),
                        jsonbGetAttributeAsText(EVENTS.BODY, inline("channel")), EVENTS.AT,
                        DSL.min(at).filterWhere(e.TYPE.eq(inline("ticket.contacted"))),
                        DSL.min(at).filterWhere(e.TYPE.eq(inline("ticket.replied"))),
                        DSL.min(at).filterWhere(e.TYPE.eq(inline("ticket.arrived"))),
                        DSL.min(at).filterWhere(e.TYPE.eq(inline("ticket.resolved"))),
                        DSL.min(at).filterWhere(e.TYPE.eq(inline("ticket.followed_up"))))
                .from(EVENTS).leftJoin(e).on(e.COMMUNITY.eq(EVENTS.COMMUNITY).and(e.TICKET.eq(EVENTS.TICKET))
                        .and(e.TYPE.in(inline("ticket.contacted"), inline("ticket.replied"), inline("ticket.arrived"),
                                inline("ticket.resolved"), inline("ticket.followed_up"))))
                .where(where)
                .groupBy(EVENTS.SEQ)
                .fetch(r -> new TicketSteps(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), instant(r.value6()),
                        instant(r.value7()), instant(r.value8()), instant(r.value9()), instant(r.value10()),
                        instant(r.value11())));
    }

    private static Instant instant(java.time.OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Every community's latest {@code community.registered}: its name and time zone. */
    public List<Registration> registrations() {
        return dsl.select(EVENTS.COMMUNITY, jsonbGetAttributeAsText(EVENTS.BODY, inline("name")),
                        jsonbGetAttributeAsText(EVENTS.BODY, inline("timezone")))
                .distinctOn(EVENTS.COMMUNITY).from(EVENTS).where(REGISTRATION)
                .orderBy(EVENTS.COMMUNITY, EVENTS.AT.desc(), EVENTS.SEQ.desc())
                .fetch(r -> new Registration(r.value1(), r.value2(), r.value3()));
    }

    /**
     * Findings counted per rule, community and kind, with {@code at} in [from, to) (either may
     * be null: unbounded), for the given communities (null: all).
     */
    public List<Hits> hits(Instant from, Instant to, Collection<String> communities) {
        Condition c = FINDINGS.WITHDRAWN_AT.isNull();
        if (from != null) {
            c = c.and(FINDINGS.AT.ge(from.atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            c = c.and(FINDINGS.AT.lt(to.atOffset(ZoneOffset.UTC)));
        }
        if (communities != null) {
            c = c.and(FINDINGS.COMMUNITY.in(communities));
        }
        return dsl.select(FINDINGS.RULE, FINDINGS.COMMUNITY, FINDINGS.KIND, count()).from(FINDINGS).where(c)
                .groupBy(FINDINGS.RULE, FINDINGS.COMMUNITY, FINDINGS.KIND)
                .fetch(r -> new Hits(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /**
     * Which of these rules ever produced a finding: one index probe each (findings_rule_at),
     * rather than counting every finding of every rule.
     */
    public Set<String> firedEver(Collection<String> rules, Collection<String> communities) {
        Set<String> out = new HashSet<>();
        for (String rule : rules) {
            // over the communities asked (or a limited token's own): a viewer of one community
            // must not learn from "never fired" what happened in another
            var where = communities == null ? FINDINGS.RULE.eq(rule) : FINDINGS.RULE.eq(rule).and(FINDINGS.COMMUNITY.in(communities));
            if (dsl.fetchExists(DSL.selectOne().from(FINDINGS).where(where))) {
                out.add(rule);
            }
        }
        return out;
    }

    /**
     * The violations of each community and rule with {@code at} in [from, to): community →
     * rule → count. The monthly report asks once per time zone, each zone's month being its own.
     */
    public Map<String, Map<String, Long>> violations(Collection<String> communities, Instant from, Instant to) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        dsl.select(FINDINGS.COMMUNITY, FINDINGS.RULE, count()).from(FINDINGS)
                .where(FINDINGS.COMMUNITY.in(communities)
                        .and(FINDINGS.KIND.eq(inline("violation")))
                        .and(FINDINGS.WITHDRAWN_AT.isNull())
                        .and(FINDINGS.AT.ge(from.atOffset(ZoneOffset.UTC)))
                        .and(FINDINGS.AT.lt(to.atOffset(ZoneOffset.UTC))))
                .groupBy(FINDINGS.COMMUNITY, FINDINGS.RULE)
                .forEach(r -> out.computeIfAbsent(r.value1(), k -> new HashMap<>()).put(r.value2(),
                        r.value3().longValue()));
        return out;
    }

    /**
     * The findings about one ticket (its subject, or {@code details.ticket}) and about its
     * incident (a collective or major complaint's subject), oldest first, as contract objects.
     */
    public List<Map<String, Object>> findingsOf(String community, String ticket, String incident) {
        Condition about = FINDINGS.SUBJECT.eq(ticket).or(DETAILS_TICKET.eq(ticket));
        if (incident != null) {
            about = about.or(FINDINGS.SUBJECT.eq(incident));
        }
        return dsl.selectFrom(FINDINGS).where(FINDINGS.COMMUNITY.eq(community).and(about)
                        .and(FINDINGS.WITHDRAWN_AT.isNull()))
                .orderBy(FINDINGS.AT, FINDINGS.ID).limit(1000)
                .fetch(FindingStore::toMap);
    }
}
