package pm.monitor.alert;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.store.AlertStore;
import pm.monitor.store.AlertStore.Group;
import pm.monitor.store.AlertStore.Item;
import pm.monitor.store.AlertStore.LogEntry;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.RosterStore;
import pm.monitor.store.SilenceStore;
import pm.monitor.store.SilenceStore.Silence;

/**
 * Turns new findings into messages for the people who must act on them (issue 5).
 *
 * <p>{@link #route} only queues findings; every decision is taken in {@link #tick} on the
 * clock it is given — the wall clock or the event clock in {@code serve}, a pseudo clock in
 * tests and {@code AlertVolume} — never on the wall clock read here:
 * <ol>
 * <li>each finding goes to its {@code notify} role (and {@code details.alsoNotify}) in its
 *     community, into the group of its community, rule, kind and role whose window is open,
 *     or a new one (a finding routed twice — a restart, a rebuild — is ignored by key);</li>
 * <li>when a group's window ends it is silenced (a silence covers it), folded (every finding
 *     in it is about a ticket of an incident already made collective or major: those go
 *     under the incident's alert instead), held (its role's quiet hours, unless an
 *     emergency) or sent: one message per destination of the role, in the outbox;</li>
 * <li>a sent alert of a kind that escalates, not acknowledged by its deadline, goes to the
 *     next role up, and so on; an acknowledgement stops it.</li>
 * </ol>
 * Each timer acts at its own due time, so a clock that jumps (a batch of past events, a
 * test) gives the same decisions as one that creeps; after a restart, timers that fell due
 * while the service was down act at the restart, one step at a time.
 *
 * <p>State lives in PostgreSQL (migration V10), changed in one transaction per decision with
 * the deliveries it causes; the {@link DeliveryWorker} sends those.
 *
 * <p>Its parts (issue 19): {@link Intake} holds the findings waiting to be grouped (and reads a
 * backlog back from the store); {@link Repeats} joins a finding to the standing alert of its
 * subject instead of opening another; {@link Digests} makes the daily digests of the roles
 * that have one; {@link Acknowledger} takes acknowledgements, as the caller, for the roles it
 * answers for. What is left here is grouping and the decisions on each group's timer.
 */
public final class AlertService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    private static final int BATCH = 5000;

    private final AlertStore store;
    private final RosterStore roster;
    private final SilenceStore silences;
    private final DeliveryStore deliveries;
    private final Clock wall;
    private final Consumer<String> publish;
    /** The findings waiting to be grouped (in memory up to a limit, the rest read back from the store). */
    private final Intake intake;
    private final Acknowledger acknowledger;
    private final Digests digests = new Digests(this::communityName);
    private final MailSender mail;
    private final DeliveryWorker worker;
    /** Why an alert is not sent or escalated now, asked in this order (see {@link Muter}). */
    private final List<Muter> muters;
    private volatile AlertParameters params = AlertParameters.defaults();
    private volatile String linkBase = "http://localhost:8080";
    private volatile Supplier<Instant> clock;
    private ScheduledExecutorService ticker;
    private Instant startedAt;
    private volatile long ticks;

    /**
     * @param wall    the wall clock, for delivery retries and the outbox's timestamps only
     * @param vertx   for e-mail (null: no e-mail)
     * @param publish the dashboard's live feed: receives each message and acknowledgement as JSON
     */
    public AlertService(DSLContext dsl, Clock wall, Vertx vertx, Consumer<String> publish) {
        this(dsl, wall, vertx, publish, 20_000);
    }

    /** @param inboxLimit findings held in memory for routing; more wait in the store */
    public AlertService(DSLContext dsl, Clock wall, Vertx vertx, Consumer<String> publish, int inboxLimit) {
        this.store = new AlertStore(dsl);
        this.roster = new RosterStore(dsl);
        this.silences = new SilenceStore(dsl);
        this.deliveries = new DeliveryStore(dsl);
        this.wall = wall;
        this.publish = publish;
        this.intake = new Intake(store, () -> params.routeKinds(), inboxLimit);
        this.acknowledger = new Acknowledger(store, () -> params, publish, this);
        this.mail = vertx == null ? null : new MailSender(vertx);
        Map<String, Sender> senders = new HashMap<>();
        HttpSender http = new HttpSender(wall);
        senders.put("webhook", http);
        senders.put("wecom", http);
        senders.put("dingtalk", http);
        if (mail != null) {
            senders.put("email", mail);
        }
        senders.put("dashboard", (d, secret, p) -> {
            publish.accept(d.payload());
            return CompletableFuture.completedFuture(Sender.Outcome.ok(null));
        });
        this.worker = new DeliveryWorker(deliveries, roster, () -> params, senders, wall);
        this.muters = List.of(new WithdrawnMuter(), new ClimbEndMuter(), new SilenceMuter(silences),
                new InhibitMuter(() -> params), new QuietHoursMuter(() -> params));
        refreshParameters();
    }

    public AlertStore store() {
        return store;
    }

    public RosterStore roster() {
        return roster;
    }

    public SilenceStore silences() {
        return silences;
    }

    public DeliveryStore deliveries() {
        return deliveries;
    }

    public AlertParameters parameters() {
        return params;
    }

    /**
     * Routes findings stored but never routed (a crash between the two), then ticks on
     * {@code clock} every {@code periodMillis} and starts delivering.
     *
     * @param clock the monitor's clock: the wall clock, or the event clock (null until the first event)
     */
    public void start(Supplier<Instant> clock, long periodMillis) {
        this.clock = clock;
        catchUp();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-clock");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> {
            try {
                Instant now = clock.get();
                if (now != null) {
                    tick(now);
                }
            } catch (RuntimeException e) {
                LOG.warn("alert tick failed: {}", e.toString());
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        worker.start();
    }

    /** Starts only the delivery of queued messages; the caller drives {@link #tick} (tests). */
    public void startDelivery() {
        worker.start();
    }

    /** The monitor's clock now (null before the first event in event-clock mode). */
    public Instant now() {
        Supplier<Instant> c = clock;
        return c == null ? null : c.get();
    }

    /** Queues new findings (called on the finding writer's thread; does no I/O unless routing is behind). */
    public void route(List<Finding> fresh) {
        intake.route(fresh);
    }

    /** Queues the findings stored since the alerts were installed that never reached {@link #route}. */
    public void catchUp() {
        intake.catchUp();
    }

    public Acknowledger acknowledger() {
        return acknowledger;
    }

    // ---- the clock ---------------------------------------------------------------------------

    /** Takes every decision due at or before {@code now}. */
    /**
     * Set by {@link #close}: a tick working through a backlog stops between batches, before the
     * pool closes under it; what it left is routed at the next start (findings stored but never
     * routed are read back then).
     */
    private volatile boolean closing;

    public synchronized void tick(Instant now) {
        refreshParameters();
        if (startedAt == null) {
            startedAt = now;
        }
        boolean queued = false;
        int refills = 0;
        while (!closing) {
            // a few pages of a backlog per tick: acknowledgements wait for this object's lock
            boolean refill = intake.needsRefill();
            if (refill && refills++ >= 4) {
                break;
            }
            List<Finding> batch;
            try {
                batch = intake.take(BATCH, refill);
            } catch (RuntimeException e) {
                LOG.warn("reading back findings to route failed ({}); trying again next tick", e.getMessage());
                break;
            }
            if (batch.isEmpty() || !group(batch, now)) {
                break;
            }
        }
        for (int round = 0; round < 100 && !closing; round++) {
            List<Group> due = store.due(now, 500);
            if (due.isEmpty()) {
                break;
            }
            for (Group g : due) {
                queued |= decide(g);
            }
        }
        if (!closing) {
            try {
                queued |= digests.tick(store, roster, params, now, DEFAULT_ZONE, inboxUrl(), wall.instant());
            } catch (RuntimeException e) {
                LOG.warn("digest not made ({}); trying again next tick", e.getMessage());
            }
        }
        if (queued) {
            worker.wake();
        }
        ticks++;
    }

    /** How many ticks have completed (lets a test wait until the decisions up to a clock are taken). */
    public long ticks() {
        return ticks;
    }

    private void refreshParameters() {
        try {
            params = AlertParameters.of(store.settings());
        } catch (IllegalArgumentException e) {
            LOG.warn("alert settings not applied, keeping the previous ones: {}", e.getMessage());
        }
    }

    /** Puts a batch of queued findings into groups; false if the database refused (they stay queued). */
    private boolean group(List<Finding> batch, Instant now) {
        try {
            Set<String> routed = store.routed(batch.stream().map(Finding::id).toList());
            // Each (finding, role) goes to the group of its window of event time (issue 17.13):
            // which group is decided by the finding alone, never by when it was routed or how the
            // ticks fell, so identical findings give identical groups in any order and any run.
            record Placed(Finding x, String role, boolean emergency, String groupId) {
            }
            List<Placed> placed = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            batch.sort(java.util.Comparator.comparing(Finding::at).thenComparing(Finding::id));
            Repeats repeats = Repeats.of(store, batch, params.duration("repeat.interval"));
            for (Finding x : batch) {
                if (!params.routeKinds().contains(x.kind())) {
                    continue;
                }
                boolean emergency = emergency(x);
                for (String role : roles(x)) {
                    String itemKey = x.id() + "|" + role;
                    if (routed.contains(itemKey) || !seen.add(itemKey)) {
                        continue;
                    }
                    placed.add(new Placed(x, role, emergency, groupId(x, role, emergency)));
                }
            }
            Map<String, Group> groups = store.groups(placed.stream().map(Placed::groupId).collect(java.util.stream.Collectors.toSet()));
            List<Group> created = new ArrayList<>();
            List<Item> items = new ArrayList<>();
            // findings joining a group already decided: by group, in the order placed
            Map<String, List<Item>> late = new LinkedHashMap<>();
            List<LogEntry> updates = new ArrayList<>();
            for (Placed p : placed) {
                Finding x = p.x();
                // the repeat stage: a standing alert about the same subject takes the finding in
                // place, and nobody is told again (not even by an addendum)
                Group g = repeats.standing(x, p.role());
                boolean repeat = g != null && !g.id.equals(p.groupId());
                if (!repeat) {
                    g = groups.get(p.groupId());
                    if (g == null) {
                        g = newGroup(p.groupId(), x, p.role(), p.emergency(), now);
                        groups.put(g.id, g);
                        created.add(g);
                    }
                }
                repeats.opened(x, p.role(), g);
                Item item = new Item(x.id(), p.role(), g.id, x.community(), x.rule(), x.kind(), x.subject(), x.ticket(),
                        x.at(), Json.toMap(x), null);
                items.add(item);
                boolean decided = !g.is(AlertStatus.COLLECTING) && !g.is(AlertStatus.HELD);
                if (repeat && decided) {
                    updates.add(new LogEntry(g.id, x.at(), "updated", p.role(), g.escalation, x.subject() + " " + x.id()));
                } else if (decided) {
                    late.computeIfAbsent(g.id, k -> new ArrayList<>()).add(item);
                }
            }
            boolean[] queuedMessages = {false};
            if (!items.isEmpty()) {
                store.transaction((s, d) -> {
                    created.forEach(s::insert);
                    s.insert(items);
                    updates.forEach(s::log);
                    for (Map.Entry<String, List<Item>> e : late.entrySet()) {
                        queuedMessages[0] |= joinedLate(s, d, groups.get(e.getKey()), e.getValue(), now);
                    }
                });
            }
            if (queuedMessages[0]) {
                worker.wake();
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("routing {} findings failed ({}); they stay queued", batch.size(), e.getMessage());
            intake.putBack(batch);
            return false;
        }
    }

    /**
     * Where a finding's window of event time starts: its time rounded down to a multiple of the
     * window (from the epoch, so the same in every run). A zero window (emergencies) has none:
     * every finding is a group of its own.
     */
    private Instant windowStart(Finding x, boolean emergency) {
        long w = params.window(emergency).toMillis();
        if (w <= 0) {
            return null;
        }
        return Instant.ofEpochMilli(Math.floorDiv(x.at().toEpochMilli(), w) * w);
    }

    /** The id of the group a finding goes to for {@code role}: from its community, rule, kind, role and window. */
    private String groupId(Finding x, String role, boolean emergency) {
        Instant start = windowStart(x, emergency);
        if (start == null) {
            return alertId(x.id(), role);
        }
        return alertId("window\u0000" + groupKey(x.community(), x.rule(), x.kind(), role, emergency) + '\u0000'
                + start.toEpochMilli() + '\u0000' + params.window(emergency).toMillis(), role);
    }

    /**
     * Findings that joined a group already decided (routed after its window closed: a late event,
     * a restart, a community whose clock is behind). They stay members, so the groups are the
     * same however late they came; what happens to them follows the group's state:
     * sent or acknowledged — an addendum (补充) to whoever has the alert now; silenced — nothing
     * (the silence covers them); folded or withdrawn — the group is decided again now, on the
     * findings not yet folded or withdrawn. @return whether messages were queued
     */
    private boolean joinedLate(AlertStore s, DeliveryStore d, Group g, List<Item> added, Instant now) {
        Instant t = g.sentAt != null && now.isBefore(g.sentAt) ? g.sentAt : now;
        String what = added.size() + " finding(s) of its window routed after it was decided";
        switch (g.status()) {
            case SENT, ACKED -> {
                s.log(new LogEntry(g.id, t, "addendum", g.currentRole, g.escalation, what + ": sent as an addendum"));
                return queue(s, d, g, added, g.currentRole, null, t, added.get(0).findingId());
            }
            case SILENCED -> {
                s.log(new LogEntry(g.id, t, "silenced", g.role, g.escalation, what + ": covered by silence " + g.silenceId));
                return false;
            }
            default -> {
                s.log(new LogEntry(g.id, t, "reopened", g.role, g.escalation, what + " (it was " + g.status + ")"));
                g.status(AlertStatus.COLLECTING);
                g.foldedUnder = null;
                g.dueAt = t;
                s.update(g);
                return false;
            }
        }
    }

    private Group newGroup(String id, Finding x, String role, boolean emergency, Instant now) {
        Group g = new Group();
        g.id = id;
        g.community = x.community();
        g.rule = x.rule();
        g.kind = x.kind();
        g.role = role;
        g.emergency = emergency;
        g.zone = x.zone() != null ? x.zone() : DEFAULT_ZONE;
        g.status(AlertStatus.COLLECTING);
        Instant start = windowStart(x, emergency);
        g.openedAt = start == null ? x.at() : start;
        // A window that closed before now (a late shard, a restart, a backlog) is decided now
        // rather than in the past.
        Instant end = start == null ? x.at() : start.plus(params.window(emergency));
        g.dueAt = end.isBefore(now) ? now : end;
        g.currentRole = role;
        return g;
    }

    private Set<String> roles(Finding f) {
        Set<String> roles = new LinkedHashSet<>();
        if (f.role() != null && !f.role().isBlank()) {
            roles.add(f.role());
        }
        if (f.details().get("alsoNotify") instanceof Collection<?> also) {
            also.forEach(r -> roles.add(String.valueOf(r)));
        }
        return roles;
    }

    private boolean emergency(Finding f) {
        return params.emergencyRules().contains(f.rule()) || "emergency".equals(f.details().get("urgency"))
                || "emergency".equals(f.details().get("severity"));
    }

    private static String groupKey(String community, String rule, String kind, String role, boolean emergency) {
        return community + '\u0000' + rule + '\u0000' + kind + '\u0000' + role + '\u0000' + emergency;
    }

    /** An alert's id: stable, from its first finding's id and the role it went to. */
    static String alertId(String findingId, String role) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((findingId + '\u0000' + role).getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder("a");
            for (int i = 0; i < 10; i++) {
                b.append(String.format("%02x", h[i]));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- decisions ------------------------------------------------------------------------------

    /** Acts on a group whose timer is due. @return whether messages were queued */
    private boolean decide(Group g) {
        // Timers that fell due while the service was not running act when it starts.
        Instant t = g.dueAt.isBefore(startedAt) ? startedAt : g.dueAt;
        boolean[] queued = {false};
        store.transaction((s, d) -> {
            if (g.is(AlertStatus.SENT)) {
                queued[0] = escalate(s, d, g, t);
            } else {
                queued[0] = flush(s, d, g, t);
            }
            s.update(g);
        });
        return queued[0];
    }

    /**
     * Sends the alert to its role (its window or the quiet hours ended), unless a muter keeps it
     * back.
     */
    private boolean flush(AlertStore s, DeliveryStore d, Group g, Instant t) {
        List<Item> items = unfolded(s, g);
        Mute mute = Muter.first(muters, s, g, items, t, g.role, Muter.Stage.SEND);
        if (mute != null) {
            mute.apply(s, g);
            return false;
        }
        g.status(AlertStatus.SENT);
        g.sentAt = t;
        boolean escalates = params.escalateKinds().contains(g.kind);
        g.ackDue = escalates ? t.plus(params.ackTimeout(g.role)) : null;
        g.dueAt = escalates && params.next(g.role) != null ? g.ackDue : null;
        s.log(new LogEntry(g.id, t, "sent", g.role, 0, items.size() + " finding(s)"));
        return queue(s, d, g, items, g.role, null, t);
    }

    /** Hands a sent alert nobody acknowledged in time to the next role up, unless a muter keeps it back. */
    private boolean escalate(AlertStore s, DeliveryStore d, Group g, Instant t) {
        List<Item> items = unfolded(s, g);
        String next = params.next(g.currentRole);
        Mute mute = Muter.first(muters, s, g, items, t, next, Muter.Stage.ESCALATE);
        if (mute != null) {
            mute.apply(s, g);
            return false;
        }
        String previous = g.currentRole;
        g.escalation++;
        g.currentRole = next;
        g.ackDue = t.plus(params.ackTimeout(next));
        g.dueAt = params.next(next) != null ? g.ackDue : null;
        if (!g.emergency && params.digest(next) != null) {
            // the role's daily digest tells of it (Digests); it is the role's in its inbox from now
            s.log(new LogEntry(g.id, t, "digested", next, g.escalation,
                    "not acknowledged by " + previous + " within " + params.ackTimeout(previous) + "; in the digest"));
            return false;
        }
        s.log(new LogEntry(g.id, t, "escalated", next, g.escalation,
                "not acknowledged by " + previous + " within " + params.ackTimeout(previous)));
        return queue(s, d, g, items, next, previous, t);
    }

    /** The alert's findings not folded under another alert. */
    private static List<Item> unfolded(AlertStore s, Group g) {
        List<Item> items = new ArrayList<>();
        for (Item i : s.items(g.id)) {
            if (i.foldedUnder() == null) {
                items.add(i);
            }
        }
        return items;
    }

    /** Queues one message per destination of {@code role}, and the role's dashboard inbox. */
    private boolean queue(AlertStore s, DeliveryStore d, Group g, List<Item> items, String role, String previous,
                          Instant t) {
        return queue(s, d, g, items, role, previous, t, null);
    }

    /** @param addendum null for the alert's notice or escalation; else the addendum's first finding id */
    private boolean queue(AlertStore s, DeliveryStore d, Group g, List<Item> items, String role, String previous,
                          Instant t, String addendum) {
        List<Map<String, Object>> findings = new ArrayList<>();
        items.forEach(i -> findings.add(i.finding()));
        int folded = params.inhibitSources().contains(g.rule) ? s.foldedUnder(g.id).size() : 0;
        Set<String> tickets = new HashSet<>();
        for (Item i : items) {
            if (i.ticket() != null) {
                tickets.add(i.ticket());
            }
            if (i.finding().get("details") instanceof Map<?, ?> m && m.get("tickets") instanceof Collection<?> c) {
                c.stream().limit(20).forEach(x -> tickets.add(String.valueOf(x)));
            }
        }
        String part = addendum == null ? "" : alertId(addendum, "addendum").substring(1, 17);
        String key = Notice.key(g.id, g.escalation) + (addendum == null ? "" : "+" + part);
        Notice n = new Notice(key, addendum != null, g.id, g.escalation, g.community, g.rule, g.kind, role,
                g.role, previous, previous == null ? null : params.ackTimeout(previous), g.emergency, t, g.ackDue,
                g.zone, findings, folded, url(g.id), communityName(g.community), s.ticketFacts(g.community, tickets));
        List<DeliveryStore.NewDelivery> out = new ArrayList<>();
        Set<String> destinations = new HashSet<>();
        out.add(new DeliveryStore.NewDelivery(g.id, g.escalation, role, "dashboard", role + "@" + g.community, null,
                n.key(), Formats.render("dashboard", n), part));
        for (RosterStore.Entry e : roster.destinations(g.community, role)) {
            if (destinations.add(e.channel() + "|" + e.address())) {
                out.add(new DeliveryStore.NewDelivery(g.id, g.escalation, role, e.channel(), e.address(), e.id(),
                        n.key(), Formats.render(e.channel(), n, e.mobiles()), part));
            }
        }
        d.insert(out, wall.instant());
        return true;
    }

    /** Community names for the messages, read again at most once a minute (a registration is rare). */
    private volatile Map<String, String> names = Map.of();
    private volatile Instant namesRead = Instant.EPOCH;

    private String communityName(String community) {
        Instant now = wall.instant();
        if (namesRead.plusSeconds(60).isBefore(now) || (!names.containsKey(community) && namesRead.plusSeconds(5).isBefore(now))) {
            try {
                names = store.communityNames();
            } catch (RuntimeException e) {
                LOG.warn("community names not read ({}); messages name communities by code", e.getMessage());
            }
            namesRead = now;
        }
        return names.get(community);
    }

    /**
     * Where the links in messages point when the setting {@code public.url} is empty: serve's
     * {@code --public-url}, or its own localhost address (start-up warns about that).
     */
    public void linkBase(String base) {
        this.linkBase = base;
    }

    /** The address the links in messages start with now. */
    public String linkBase() {
        String set = params.get("public.url");
        return set == null || set.isEmpty() ? linkBase : set;
    }

    private String inboxUrl() {
        String base = linkBase();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/index.html#/alerts?mine=true";
    }

    private String url(String alertId) {
        String base = linkBase();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/alerts.html#" + alertId;
    }

    // ---- people -------------------------------------------------------------------------------

    public enum AckResult { ACKED, ALREADY, NOT_FOUND }

    /** Acknowledges an alert at {@code now} as {@code by}, whatever role it is for (tests, tools). */
    public AckResult ack(String alertId, String by, Instant now) {
        return switch (acknowledger.ack(alertId, by, null, now).result()) {
            case ACKED -> AckResult.ACKED;
            case ALREADY, NOT_YOURS -> AckResult.ALREADY;
            case NOT_FOUND -> AckResult.NOT_FOUND;
        };
    }

    /** Adds a silence from {@code now} until {@code expiresAt}; throws with a reason on bad input. */
    public Silence silence(String community, String rule, String reason, String author, Instant now, Instant expiresAt) {
        if (community == null || community.isBlank() || rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("a silence needs a community and a rule ('*' for any)");
        }
        if (reason == null || reason.isBlank() || author == null || author.isBlank()) {
            throw new IllegalArgumentException("a silence needs a reason and an author");
        }
        if (expiresAt == null || !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("a silence needs an expiry after now (" + now + ")");
        }
        Silence s = new Silence(0, community, rule, reason, author, now, expiresAt);
        long id = silences.insert(s);
        return silences.get(id);
    }

    /** Whether this duration parses, for the API. */
    public static Duration duration(String text) {
        return AlertParameters.of(Map.of("group.window", text)).window(false);
    }

    @Override
    public void close() {
        closing = true;
        if (ticker != null) {
            ticker.shutdown();
            try {
                ticker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker.close();
        if (mail != null) {
            mail.close();
        }
    }
}
