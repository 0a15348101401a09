package pm.monitor.store;

import static pm.monitor.store.schema.Tables.ALERT_GROUPS;
import static pm.monitor.store.schema.Tables.ALERT_ITEMS;
import static pm.monitor.store.schema.Tables.ALERT_LOG;
import static pm.monitor.store.schema.Tables.ALERT_SETTINGS;
import static pm.monitor.store.schema.Tables.EVENTS;
import static pm.monitor.store.schema.Tables.FINDINGS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import pm.monitor.alert.AlertStatus;
import pm.monitor.alert.Group;
import pm.monitor.alert.Item;
import pm.monitor.alert.LogEntry;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.store.schema.tables.records.AlertGroupsRecord;
import pm.monitor.store.schema.tables.records.AlertItemsRecord;

/**
 * Alert groups, the findings in them, their log and the alert settings (tables
 * {@code alert_*}). The alert service changes them inside {@link #transaction}, together with
 * the deliveries its changes cause.
 */
public final class AlertStore {
    private final DSLContext dsl;

    public AlertStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Runs {@code work} in one transaction, with stores bound to it. */
    public void transaction(BiConsumer<AlertStore, DeliveryStore> work) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            work.accept(new AlertStore(tx), new DeliveryStore(tx));
        });
    }

    // ---- groups ---------------------------------------------------------------------------------

    public void insert(Group g) {
        dsl.insertInto(ALERT_GROUPS).set(record(g)).execute();
    }

    public void update(Group g) {
        AlertGroupsRecord r = record(g);
        r.changed(ALERT_GROUPS.ID, false);
        r.changed(ALERT_GROUPS.CREATED_AT, false);
        dsl.executeUpdate(r);
    }

    public Group group(String id) {
        AlertGroupsRecord r = dsl.selectFrom(ALERT_GROUPS).where(ALERT_GROUPS.ID.eq(id)).fetchOne();
        return r == null ? null : group(r);
    }

    /**
     * The group as stored now, its row locked until this transaction ends: a decision and an
     * acknowledgement made on two instances of a cluster wait for each other instead of one
     * writing over the other.
     */
    public Group lockGroup(String id) {
        AlertGroupsRecord r = dsl.selectFrom(ALERT_GROUPS).where(ALERT_GROUPS.ID.eq(id)).forUpdate().fetchOne();
        return r == null ? null : group(r);
    }

    /** The groups with these ids, in any status, by id. */
    public Map<String, Group> groups(Collection<String> ids) {
        Map<String, Group> out = new HashMap<>();
        if (!ids.isEmpty()) {
            dsl.selectFrom(ALERT_GROUPS).where(ALERT_GROUPS.ID.in(ids)).fetch(AlertStore::group).forEach(g -> out.put(g.id, g));
        }
        return out;
    }

    /** Groups whose window is still open. */
    public List<Group> collecting() {
        return dsl.selectFrom(ALERT_GROUPS).where(ALERT_GROUPS.STATUS.eq(AlertStatus.COLLECTING.value())).fetch(AlertStore::group);
    }

    /**
     * Groups still collecting whose window ends after {@code after}: the only ones a finding
     * stamped {@code after} or later can join. Not all of them: when findings come faster than
     * groups are decided (a replayed backlog, the soak) the collecting ones pile up, and
     * loading them all for every batch made the routing slower the further behind it was.
     */
    public List<Group> collecting(Instant after) {
        return dsl.selectFrom(ALERT_GROUPS)
                .where(ALERT_GROUPS.STATUS.eq(AlertStatus.COLLECTING.value()), ALERT_GROUPS.DUE_AT.gt(odt(after)))
                .fetch(AlertStore::group);
    }

    /** Groups whose next timer is at or before {@code now}, earliest first. */
    public List<Group> due(Instant now, int limit) {
        return dsl.selectFrom(ALERT_GROUPS)
                .where(ALERT_GROUPS.STATUS.in(AlertStatus.values(AlertStatus.TIMED)), ALERT_GROUPS.DUE_AT.le(odt(now)))
                .orderBy(ALERT_GROUPS.DUE_AT, ALERT_GROUPS.ID).limit(limit).fetch(AlertStore::group);
    }

    /**
     * Filters of {@code GET /api/alerts}; null means any. {@code community} is one code or a comma
     * list; {@code role} (one role or a comma list) matches the routed or the current role.
     */
    public record Filter(String community, String role, String status, String rule, Instant from, Instant to) {
        Condition condition() {
            Condition c = DSL.trueCondition();
            if (community != null) {
                c = c.and(ALERT_GROUPS.COMMUNITY.in(List.of(community.split("\\s*,\\s*"))));
            }
            if (role != null) {
                List<String> roles = List.of(role.split("\\s*,\\s*"));
                c = c.and(ALERT_GROUPS.ROLE.in(roles).or(ALERT_GROUPS.OWNER_ROLE.in(roles)));
            }
            if (status != null) {
                c = c.and(ALERT_GROUPS.STATUS.in(List.of(status.split(","))));
            }
            if (rule != null) {
                c = rule.endsWith("*") ? c.and(ALERT_GROUPS.RULE.startsWith(rule.substring(0, rule.length() - 1)))
                        : c.and(ALERT_GROUPS.RULE.eq(rule));
            }
            if (from != null) {
                c = c.and(ALERT_GROUPS.OPENED_AT.ge(odt(from)));
            }
            if (to != null) {
                c = c.and(ALERT_GROUPS.OPENED_AT.lt(odt(to)));
            }
            return c;
        }
    }

    /** Newest first. */
    public List<Group> query(Filter f, int limit, int offset) {
        return dsl.selectFrom(ALERT_GROUPS).where(f.condition())
                .orderBy(ALERT_GROUPS.OPENED_AT.desc(), ALERT_GROUPS.ID).limit(limit).offset(offset)
                .fetch(AlertStore::group);
    }

    public int count(Filter f) {
        return dsl.fetchCount(ALERT_GROUPS, f.condition());
    }

    /** How many findings each of these groups holds, and how many of them were folded under another alert. */
    public Map<String, int[]> itemCounts(Collection<String> alertIds) {
        Map<String, int[]> out = new HashMap<>();
        dsl.select(ALERT_ITEMS.ALERT_ID, DSL.count(), DSL.count(ALERT_ITEMS.FOLDED_UNDER)).from(ALERT_ITEMS)
                .where(ALERT_ITEMS.ALERT_ID.in(alertIds)).groupBy(ALERT_ITEMS.ALERT_ID)
                .forEach(r -> out.put(r.value1(), new int[] {r.value2(), r.value3()}));
        return out;
    }

    // ---- items ----------------------------------------------------------------------------------

    public void insert(List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        var q = dsl.insertInto(ALERT_ITEMS, ALERT_ITEMS.FINDING_ID, ALERT_ITEMS.ROLE, ALERT_ITEMS.ALERT_ID,
                ALERT_ITEMS.COMMUNITY, ALERT_ITEMS.RULE, ALERT_ITEMS.KIND, ALERT_ITEMS.SUBJECT, ALERT_ITEMS.TICKET,
                ALERT_ITEMS.AT, ALERT_ITEMS.FINDING);
        for (Item i : items) {
            q = q.values(i.findingId(), i.role(), i.alertId(), i.community(), i.rule(), i.kind(), i.subject(),
                    i.ticket(), odt(i.at()), JSONB.valueOf(Json.write(i.finding())));
        }
        q.onConflictDoNothing().execute();
    }

    /** Which of these (finding, role) pairs were routed before, as {@code findingId + "|" + role}. */
    public Set<String> routed(Collection<String> findingIds) {
        Set<String> out = new HashSet<>();
        dsl.select(ALERT_ITEMS.FINDING_ID, ALERT_ITEMS.ROLE).from(ALERT_ITEMS)
                .where(ALERT_ITEMS.FINDING_ID.in(findingIds))
                .forEach(r -> out.add(r.value1() + "|" + r.value2()));
        return out;
    }

    /** The findings of a group, in event time order. */
    public List<Item> items(String alertId) {
        return dsl.selectFrom(ALERT_ITEMS).where(ALERT_ITEMS.ALERT_ID.eq(alertId))
                .orderBy(ALERT_ITEMS.AT, ALERT_ITEMS.FINDING_ID).fetch(AlertStore::item);
    }

    /** What identifies a firing alert (Alertmanager's fingerprint): community, rule, kind, role and subject. */
    public static String firingKey(String community, String rule, String kind, String role, String subject) {
        return community + '\u0000' + rule + '\u0000' + kind + '\u0000' + role + '\u0000' + subject;
    }

    /**
     * The newest alert of each {@link #firingKey} among findings of these communities, rules and
     * subjects that still stands: neither withdrawn, folded under an incident nor silenced.
     */
    public Map<String, Group> firing(Collection<String> communities, Collection<String> rules, Collection<String> subjects) {
        Map<String, Group> out = new HashMap<>();
        if (subjects.isEmpty()) {
            return out;
        }
        dsl.select(ALERT_ITEMS.COMMUNITY, ALERT_ITEMS.RULE, ALERT_ITEMS.KIND, ALERT_ITEMS.ROLE, ALERT_ITEMS.SUBJECT)
                .select(ALERT_GROUPS.fields()).from(ALERT_ITEMS)
                .join(ALERT_GROUPS).on(ALERT_GROUPS.ID.eq(ALERT_ITEMS.ALERT_ID))
                .where(ALERT_ITEMS.COMMUNITY.in(communities), ALERT_ITEMS.RULE.in(rules), ALERT_ITEMS.SUBJECT.in(subjects),
                        ALERT_GROUPS.STATUS.notIn(AlertStatus.values(AlertStatus.UNTOLD)))
                .forEach(r -> {
                    String key = firingKey(r.get(ALERT_ITEMS.COMMUNITY), r.get(ALERT_ITEMS.RULE), r.get(ALERT_ITEMS.KIND),
                            r.get(ALERT_ITEMS.ROLE), r.get(ALERT_ITEMS.SUBJECT));
                    Group g = group(r.into(ALERT_GROUPS));
                    Group had = out.get(key);
                    if (had == null || g.openedAt.isAfter(had.openedAt)) {
                        out.put(key, g);
                    }
                });
        return out;
    }

    /**
     * The findings of a community about these subjects whose alert is firing (collecting, held,
     * sent or acknowledged) or resolved, with their alert's status: where a KPI's recovery
     * (subject: its period) may end an alert.
     */
    public List<Item> itemsAbout(String community, Collection<String> subjects) {
        if (subjects.isEmpty()) {
            return List.of();
        }
        return dsl.select(ALERT_ITEMS.fields()).from(ALERT_ITEMS)
                .join(ALERT_GROUPS).on(ALERT_GROUPS.ID.eq(ALERT_ITEMS.ALERT_ID))
                .where(ALERT_ITEMS.COMMUNITY.eq(community), ALERT_ITEMS.SUBJECT.in(subjects),
                        ALERT_GROUPS.STATUS.notIn(AlertStatus.values(AlertStatus.UNTOLD)))
                .orderBy(ALERT_ITEMS.AT, ALERT_ITEMS.FINDING_ID)
                .fetch(r -> item(r.into(ALERT_ITEMS)));
    }

    /**
     * Marks the findings of an alert about {@code subject} found at or before {@code at} and not
     * yet recovered as recovered at {@code at}; returns how many.
     */
    public int recover(String alertId, String subject, Instant at) {
        return dsl.update(ALERT_ITEMS).set(ALERT_ITEMS.RECOVERED_AT, odt(at))
                .where(ALERT_ITEMS.ALERT_ID.eq(alertId), ALERT_ITEMS.SUBJECT.eq(subject),
                        ALERT_ITEMS.AT.le(odt(at)), ALERT_ITEMS.RECOVERED_AT.isNull())
                .execute();
    }

    /** How many findings of an alert, not folded under another, have not recovered: it still fires while any has not. */
    public int unrecovered(String alertId) {
        return dsl.fetchCount(ALERT_ITEMS, ALERT_ITEMS.ALERT_ID.eq(alertId), ALERT_ITEMS.RECOVERED_AT.isNull(),
                ALERT_ITEMS.FOLDED_UNDER.isNull());
    }

    /** Which of these findings a late event has withdrawn (findings.withdrawn_at set). */
    public Set<String> withdrawn(Collection<String> findingIds) {
        if (findingIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(dsl.select(FINDINGS.ID).from(FINDINGS)
                .where(FINDINGS.ID.in(findingIds), FINDINGS.WITHDRAWN_AT.isNotNull()).fetch(FINDINGS.ID));
    }

    /** The findings folded under an alert. */
    public List<Item> foldedUnder(String alertId) {
        return dsl.selectFrom(ALERT_ITEMS).where(ALERT_ITEMS.FOLDED_UNDER.eq(alertId))
                .orderBy(ALERT_ITEMS.AT, ALERT_ITEMS.FINDING_ID).fetch(AlertStore::item);
    }

    public void fold(Item i, String under) {
        dsl.update(ALERT_ITEMS).set(ALERT_ITEMS.FOLDED_UNDER, under)
                .where(ALERT_ITEMS.FINDING_ID.eq(i.findingId()), ALERT_ITEMS.ROLE.eq(i.role())).execute();
    }

    /** Findings of {@code rules} in a community found at or before {@code upTo}: the incidents' own alerts. */
    public List<Item> itemsOfRules(String community, Set<String> rules, Instant upTo) {
        return dsl.selectFrom(ALERT_ITEMS)
                .where(ALERT_ITEMS.COMMUNITY.eq(community), ALERT_ITEMS.RULE.in(rules), ALERT_ITEMS.AT.le(odt(upTo)))
                .orderBy(ALERT_ITEMS.AT, ALERT_ITEMS.FINDING_ID).fetch(AlertStore::item);
    }

    // ---- log --------------------------------------------------------------------------------------

    public void log(LogEntry e) {
        dsl.insertInto(ALERT_LOG, ALERT_LOG.ALERT_ID, ALERT_LOG.AT, ALERT_LOG.ACTION, ALERT_LOG.ROLE,
                ALERT_LOG.ESCALATION, ALERT_LOG.NOTE)
                .values(e.alertId(), odt(e.at()), e.action(), e.role(), e.escalation(), e.note()).execute();
    }

    public List<LogEntry> log(String alertId) {
        return dsl.selectFrom(ALERT_LOG).where(ALERT_LOG.ALERT_ID.eq(alertId)).orderBy(ALERT_LOG.ID)
                .fetch(r -> new LogEntry(r.getAlertId(), r.getAt().toInstant(), r.getAction(), r.getRole(),
                        r.getEscalation(), r.getNote()));
    }

    /** One escalation that went into a role's digest: the alert's community and rule. */
    public record Digested(String alertId, String community, String rule, Instant at) {
    }

    /** The escalations to {@code role} that went into its digest, in (from, to]. */
    public List<Digested> digested(String role, Instant from, Instant to) {
        return dsl.select(ALERT_LOG.ALERT_ID, ALERT_GROUPS.COMMUNITY, ALERT_GROUPS.RULE, ALERT_LOG.AT).from(ALERT_LOG)
                .join(ALERT_GROUPS).on(ALERT_GROUPS.ID.eq(ALERT_LOG.ALERT_ID))
                .where(ALERT_LOG.ACTION.eq("digested"), ALERT_LOG.ROLE.eq(role), ALERT_LOG.AT.gt(odt(from)),
                        ALERT_LOG.AT.le(odt(to)))
                .orderBy(ALERT_GROUPS.COMMUNITY, ALERT_GROUPS.RULE, ALERT_LOG.AT)
                .fetch(r -> new Digested(r.value1(), r.value2(), r.value3(), r.value4().toInstant()));
    }

    /** Whether a log entry exists for this id and action (a digest already made). */
    public boolean logged(String alertId, String action) {
        return dsl.fetchExists(ALERT_LOG, ALERT_LOG.ALERT_ID.eq(alertId), ALERT_LOG.ACTION.eq(action));
    }

    /** Log entries of an action (e.g. {@code sent}, {@code escalated}) counted per role. */
    public Map<String, Integer> countLog(String action) {
        Map<String, Integer> out = new LinkedHashMap<>();
        dsl.select(ALERT_LOG.ROLE, DSL.count()).from(ALERT_LOG).where(ALERT_LOG.ACTION.eq(action))
                .groupBy(ALERT_LOG.ROLE).orderBy(ALERT_LOG.ROLE).forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /** Messages to a role (sent to it, escalated to it, its digest, a resolved notice) per local day in {@code zone}. */
    public Map<java.time.LocalDate, Integer> messagesPerDay(String role, ZoneId zone) {
        Map<java.time.LocalDate, Integer> out = new java.util.TreeMap<>();
        dsl.select(ALERT_LOG.AT).from(ALERT_LOG)
                .where(ALERT_LOG.ROLE.eq(role), ALERT_LOG.ACTION.in("sent", "escalated", "digest", "resolved"))
                .forEach(r -> out.merge(r.value1().atZoneSameInstant(zone).toLocalDate(), 1, Integer::sum));
        return out;
    }

    /** The (community, rule, subject) of findings of these rules whose alert reached {@code role}: sent or escalated to it. */
    public Set<String> subjectsThatReached(String role, Collection<String> rules) {
        Set<String> out = new HashSet<>();
        dsl.selectDistinct(ALERT_ITEMS.COMMUNITY, ALERT_ITEMS.RULE, ALERT_ITEMS.SUBJECT).from(ALERT_ITEMS)
                .join(ALERT_LOG).on(ALERT_LOG.ALERT_ID.eq(ALERT_ITEMS.ALERT_ID))
                .where(ALERT_ITEMS.RULE.in(rules), ALERT_LOG.ROLE.eq(role), ALERT_LOG.ACTION.in("sent", "escalated"))
                .forEach(r -> out.add(r.value1() + " " + r.value2() + " " + r.value3()));
        return out;
    }

    /** Items per role, and of them those folded. */
    public Map<String, int[]> countItems() {
        Map<String, int[]> out = new LinkedHashMap<>();
        dsl.select(ALERT_ITEMS.ROLE, DSL.count(), DSL.count(ALERT_ITEMS.FOLDED_UNDER)).from(ALERT_ITEMS)
                .groupBy(ALERT_ITEMS.ROLE).orderBy(ALERT_ITEMS.ROLE)
                .forEach(r -> out.put(r.value1(), new int[] {r.value2(), r.value3()}));
        return out;
    }

    // ---- what the alerts need from the rest of the store -------------------------------------------

    /** The incident each of these tickets belongs to (its latest {@code incident} field), from the event store. */
    public Map<String, String> incidentsOf(String community, Collection<String> tickets) {
        Map<String, String> out = new HashMap<>();
        if (tickets.isEmpty()) {
            return out;
        }
        var incident = DSL.jsonbGetAttributeAsText(EVENTS.BODY, DSL.inline("incident"));
        dsl.select(EVENTS.TICKET, incident).from(EVENTS)
                .where(EVENTS.COMMUNITY.eq(community), EVENTS.TICKET.in(tickets), incident.isNotNull())
                .orderBy(EVENTS.AT, EVENTS.SEQ)
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /** What a message says of a ticket: its category and the owner's words, from its ticket.received. */
    public record TicketFacts(String category, String summary) {
    }

    public Map<String, TicketFacts> ticketFacts(String community, Collection<String> tickets) {
        Map<String, TicketFacts> out = new HashMap<>();
        if (tickets.isEmpty()) {
            return out;
        }
        var category = DSL.jsonbGetAttributeAsText(EVENTS.BODY, DSL.inline("category"));
        var summary = DSL.jsonbGetAttributeAsText(EVENTS.BODY, DSL.inline("summary"));
        dsl.select(EVENTS.TICKET, category, summary).from(EVENTS)
                .where(EVENTS.COMMUNITY.eq(community), EVENTS.TICKET.in(tickets), EVENTS.TYPE.eq("ticket.received"))
                .orderBy(EVENTS.AT, EVENTS.SEQ)
                .forEach(r -> out.putIfAbsent(r.value1(), new TicketFacts(r.value2(), r.value3())));
        return out;
    }

    /** Each registered community's name (code → name), from its latest community.registered. */
    public Map<String, String> communityNames() {
        Map<String, String> out = new HashMap<>();
        var name = DSL.jsonbGetAttributeAsText(EVENTS.BODY, DSL.inline("name"));
        // inline: the partial index events_registrations (V20) is for this literal
        dsl.select(EVENTS.COMMUNITY, name).from(EVENTS).where(EVENTS.TYPE.eq(DSL.inline("community.registered")), name.isNotNull())
                .orderBy(EVENTS.AT, EVENTS.SEQ).forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /** When the alerts were installed (migration 10): findings stored before are history, not news. */
    public Instant installedAt() {
        OffsetDateTime t = dsl.select(DSL.field("applied_at", OffsetDateTime.class)).from("schema_migrations")
                .where("version = 10").fetchOne(0, OffsetDateTime.class);
        return t == null ? Instant.EPOCH : t.toInstant();
    }

    /**
     * Findings stored since {@code since} that were never routed: a crash between storing a
     * finding and routing it must not lose it.
     */
    /** A page of findings in storage order, and where the next page starts. */
    public record Page(List<Finding> findings, OffsetDateTime lastStoredAt, String lastId) {
    }

    /** The database's clock: findings' stored_at is stamped by it. */
    public OffsetDateTime databaseNow() {
        return dsl.select(DSL.currentOffsetDateTime()).fetchOne().value1();
    }

    /**
     * Findings of the given kinds stored after (storedAt, id), not withdrawn and not routed, in
     * storage order: the router's way back to what it could not keep in memory. The cursor moves
     * past every row returned, so a finding that routes to nobody is read once, not forever.
     */
    public Page unroutedAfter(OffsetDateTime storedAt, String id, Set<String> kinds, int limit) {
        return unroutedAfter(storedAt, id, null, kinds, limit);
    }

    /** The same, stored before {@code before} only (null: any). */
    public Page unroutedAfter(OffsetDateTime storedAt, String id, OffsetDateTime before, Set<String> kinds, int limit) {
        Map<String, ZoneId> zones = new HashMap<>();
        OffsetDateTime[] lastAt = {storedAt};
        String[] lastId = {id};
        List<Finding> out = dsl.selectFrom(FINDINGS)
                .where(DSL.row(FINDINGS.STORED_AT, FINDINGS.ID).gt(storedAt, id), FINDINGS.KIND.in(kinds),
                        before == null ? DSL.noCondition() : FINDINGS.STORED_AT.lt(before),
                        FINDINGS.WITHDRAWN_AT.isNull(),
                        DSL.notExists(DSL.selectOne().from(ALERT_ITEMS).where(ALERT_ITEMS.FINDING_ID.eq(FINDINGS.ID))))
                .orderBy(FINDINGS.STORED_AT, FINDINGS.ID).limit(limit)
                .fetch(r -> {
                    lastAt[0] = r.getStoredAt();
                    lastId[0] = r.getId();
                    return finding(r, zones);
                });
        return new Page(out, lastAt[0], lastId[0]);
    }

    public List<Finding> unrouted(Instant since, int limit) {
        Map<String, ZoneId> zones = new HashMap<>();
        return dsl.selectFrom(FINDINGS)
                .where(FINDINGS.STORED_AT.ge(odt(since)), FINDINGS.WITHDRAWN_AT.isNull(),
                        DSL.notExists(DSL.selectOne().from(ALERT_ITEMS).where(ALERT_ITEMS.FINDING_ID.eq(FINDINGS.ID))))
                .orderBy(FINDINGS.AT, FINDINGS.ID).limit(limit)
                .fetch(r -> finding(r, zones));
    }

    /** The stored findings with these ids, not withdrawn, in event-time order. */
    public List<Finding> findings(Collection<String> ids) {
        Map<String, ZoneId> zones = new HashMap<>();
        return dsl.selectFrom(FINDINGS).where(FINDINGS.ID.in(ids), FINDINGS.WITHDRAWN_AT.isNull())
                .orderBy(FINDINGS.AT, FINDINGS.ID).fetch(r -> finding(r, zones));
    }

    /** A stored finding as the router takes it, with its community's zone (asked once per community). */
    private Finding finding(pm.monitor.store.schema.tables.records.FindingsRecord r, Map<String, ZoneId> zones) {
        return FindingStore.read(r, zones.computeIfAbsent(r.getCommunity(), this::zoneOf));
    }

    /** A community's time zone as registered (CONTRACT.md: default Asia/Shanghai). */
    public ZoneId zoneOf(String community) {
        var tz = DSL.jsonbGetAttributeAsText(EVENTS.BODY, DSL.inline("timezone"));
        String z = dsl.select(tz).from(EVENTS)
                .where(EVENTS.COMMUNITY.eq(community), EVENTS.TYPE.eq("community.registered"))
                .orderBy(EVENTS.AT.desc(), EVENTS.SEQ.desc()).limit(1).fetchOne(0, String.class);
        try {
            return ZoneId.of(z == null ? "Asia/Shanghai" : z);
        } catch (RuntimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    // ---- settings -------------------------------------------------------------------------------

    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        dsl.selectFrom(ALERT_SETTINGS).orderBy(ALERT_SETTINGS.KEY).forEach(r -> out.put(r.getKey(), r.getValue()));
        return out;
    }

    public void putSetting(String key, String value, String by) {
        dsl.insertInto(ALERT_SETTINGS, ALERT_SETTINGS.KEY, ALERT_SETTINGS.VALUE, ALERT_SETTINGS.UPDATED_BY)
                .values(key, value, by)
                .onConflict(ALERT_SETTINGS.KEY).doUpdate()
                .set(ALERT_SETTINGS.VALUE, value).set(ALERT_SETTINGS.UPDATED_BY, by)
                .set(ALERT_SETTINGS.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC)).execute();
    }

    public void removeSetting(String key) {
        dsl.deleteFrom(ALERT_SETTINGS).where(ALERT_SETTINGS.KEY.eq(key)).execute();
    }

    // ---- mapping --------------------------------------------------------------------------------

    static OffsetDateTime odt(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static AlertGroupsRecord record(Group g) {
        AlertGroupsRecord r = new AlertGroupsRecord();
        r.setId(g.id);
        r.setCommunity(g.community);
        r.setRule(g.rule);
        r.setKind(g.kind);
        r.setRole(g.role);
        r.setEmergency(g.emergency);
        r.setZone(g.zone.getId());
        r.setStatus(g.status);
        r.setOpenedAt(odt(g.openedAt));
        r.setDueAt(odt(g.dueAt));
        r.setEscalation(g.escalation);
        r.setOwnerRole(g.currentRole);
        r.setSentAt(odt(g.sentAt));
        r.setAckDue(odt(g.ackDue));
        r.setAckedAt(odt(g.ackedAt));
        r.setAckedBy(g.ackedBy);
        r.setSilenceId(g.silenceId);
        r.setFoldedUnder(g.foldedUnder);
        r.setResolvedAt(odt(g.resolvedAt));
        r.setFires(g.fires);
        return r;
    }

    private static Group group(AlertGroupsRecord r) {
        Group g = new Group();
        g.id = r.getId();
        g.community = r.getCommunity();
        g.rule = r.getRule();
        g.kind = r.getKind();
        g.role = r.getRole();
        g.emergency = r.getEmergency();
        g.zone = ZoneId.of(r.getZone());
        g.status = r.getStatus();
        g.openedAt = instant(r.getOpenedAt());
        g.dueAt = instant(r.getDueAt());
        g.escalation = r.getEscalation();
        g.currentRole = r.getOwnerRole();
        g.sentAt = instant(r.getSentAt());
        g.ackDue = instant(r.getAckDue());
        g.ackedAt = instant(r.getAckedAt());
        g.ackedBy = r.getAckedBy();
        g.silenceId = r.getSilenceId();
        g.foldedUnder = r.getFoldedUnder();
        g.resolvedAt = instant(r.getResolvedAt());
        g.fires = r.getFires() == null ? 1 : r.getFires();
        return g;
    }

    @SuppressWarnings("unchecked")
    private static Item item(AlertItemsRecord r) {
        return new Item(r.getFindingId(), r.getRole(), r.getAlertId(), r.getCommunity(), r.getRule(), r.getKind(),
                r.getSubject(), r.getTicket(), r.getAt().toInstant(),
                (Map<String, Object>) Json.parse(r.getFinding().data()), r.getFoldedUnder());
    }
}
