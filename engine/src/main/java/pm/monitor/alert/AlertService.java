package pm.monitor.alert;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.RosterStore;
import pm.monitor.store.SilenceStore;
import pm.monitor.store.SilenceStore.Silence;
import pm.monitor.store.TemplateStore;

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
 * <p>Its parts (issue 19, Alertmanager's shape): {@link Intake} holds the findings waiting to be
 * grouped (and reads a backlog back from the store); {@link Grouper} puts them into groups, with
 * {@link Repeats} joining a finding to the standing alert of its subject instead of opening
 * another; {@link Pipeline} acts on each group's timer, asking the {@link Muter}s and sending
 * through the {@link Notifier}; {@link Resolutions} resolves the KPI alerts whose KPI is back at
 * target; {@link Digests} makes the daily digests of the roles that have
 * one; {@link Acknowledger} takes acknowledgements, as the caller, for the roles it answers for.
 * What is left here is the clock that drives them, and starting and closing.
 */
public final class AlertService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
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
    private final Digests digests;
    private final Links links;
    private final CommunityNames names;
    private final Notifier notifier;
    private final Grouper grouper;
    private final MailSender mail;
    private final DeliveryWorker worker;
    private final Pipeline pipeline;
    private final Resolutions resolutions;
    private volatile AlertParameters params = AlertParameters.defaults();
    private final TemplateStore templateStore;
    /** The message templates in force: read at start, on each tick (another instance may have saved) and on save. */
    private volatile MessageTemplates templates = MessageTemplates.defaults();
    private volatile Supplier<Instant> clock;
    private volatile ScheduledExecutorService ticker;
    private Instant startedAt;
    /** The clock of the previous tick (null before the first). */
    private Instant previousTick;
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
        this.templateStore = new TemplateStore(dsl);
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
        this.links = new Links(() -> params);
        this.names = new CommunityNames(store, wall);
        this.digests = new Digests(names::name);
        this.notifier = new Notifier(roster, () -> params, () -> templates, links, names, wall);
        this.resolutions = new Resolutions(store, notifier, () -> params);
        this.pipeline = new Pipeline(store, silences, () -> params, notifier, resolutions);
        this.grouper = new Grouper(store, intake, () -> params, notifier, worker::wake);
        refreshParameters();
        refreshTemplates();
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

    /**
     * Where the links in messages point when the setting {@code public.url} is empty: serve's
     * {@code --public-url}, or its own localhost address (start-up warns about that).
     */
    public void linkBase(String base) {
        links.fallback(base);
    }

    /** The address the links in messages start with now. */
    public String linkBase() {
        return links.base();
    }

    public AlertParameters parameters() {
        return params;
    }

    /** The message templates in force. */
    public MessageTemplates templates() {
        return templates;
    }

    /** Who saved each stored template and when (for the settings screen). */
    public Map<String, TemplateStore.Saved> savedTemplates() {
        return templateStore.all();
    }

    /**
     * Checks and saves message templates (key to template; empty or the default's text: back to the default) and puts
     * them in force for the next message; throws {@link TemplateCheck.Problem} saying why not.
     */
    public synchronized MessageTemplates saveTemplates(Map<String, String> changes, String by) {
        MessageTemplates next = templates.with(changes);
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        changes.forEach((k, v) -> rows.put(k, MessageTemplates.isDefault(k, v) ? null : v));
        templateStore.save(rows, by);
        templates = next;
        return next;
    }

    /**
     * Routes findings stored but never routed (a crash between the two), then ticks on
     * {@code clock} every {@code periodMillis} and starts delivering.
     *
     * @param clock the monitor's clock: the wall clock, or the event clock (null until the first event)
     */
    public synchronized void start(Supplier<Instant> clock, long periodMillis) {
        this.clock = clock;
        closing = false;
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

    /**
     * Stops deciding and delivering until {@link #start} is called again: an instance of a cluster
     * that no longer leads ({@code cluster.Leadership}). The findings queued here are dropped: they
     * are stored, and the leader's start routes what was never routed ({@link #catchUp}).
     */
    public void pause() {
        closing = true;
        stopTicker();
        worker.close();
        synchronized (this) {
            intake.clear();
        }
    }

    /**
     * The cluster's leader, now and then: queues the findings stored in the last {@code window},
     * but not in the last {@code settle} (those are on their way), that were never routed (an
     * instance died between storing and feeding them); returns how many.
     */
    public int sweep(Duration window, Duration settle) {
        return intake.sweep(window, settle);
    }

    /**
     * Queues findings stored by any instance of a cluster, by id (the leader hears of them through
     * the findings topic); those not found are skipped.
     */
    public void routeStored(java.util.Collection<String> ids) {
        if (!ids.isEmpty()) {
            intake.route(store.findings(ids));
        }
    }

    /**
     * The clock acknowledgements and silences are judged by, without ticking or delivering: an
     * instance of a cluster that does not lead (until it does, {@link #start}).
     */
    public void clock(Supplier<Instant> clock) {
        this.clock = clock;
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

    /**
     * Takes KPIs back at their target (from the KPI runtime, any thread): their alerts are
     * resolved at the next {@link #tick}, after the findings queued before them are grouped.
     */
    public void recovered(List<KpiRecovered> recoveries) {
        if (!recoveries.isEmpty()) {
            resolutions.recovered(recoveries);
        }
    }

    /** Queues the findings stored since the alerts were installed that never reached {@link #route}. */
    public void catchUp() {
        intake.catchUp();
    }

    public Acknowledger acknowledger() {
        return acknowledger;
    }

    private void stopTicker() {
        ScheduledExecutorService t = ticker;
        if (t != null) {
            t.shutdown();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the clock ---------------------------------------------------------------------------

    /**
     * Set by {@link #close}: a tick working through a backlog stops between batches, before the
     * pool closes under it; what it left is routed at the next start (findings stored but never
     * routed are read back then).
     */
    private volatile boolean closing;

    /** Takes every decision due at or before {@code now}. */
    public synchronized void tick(Instant now) {
        refreshParameters();
        refreshTemplates();
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
            if (batch.isEmpty() || !grouper.group(batch, now)) {
                break;
            }
        }
        if (!closing) {
            try {
                // in event time order: the timers due before a KPI came back act first (an alert
                // that climbed at 08:40 and recovered at 08:46 was told to both roles), however the
                // ticks fell; recoveries from before the previous tick (a rebuild's) need no such care
                if (previousTick != null) {
                    for (Instant at : resolutions.times(previousTick, now)) {
                        queued |= decideDue(at);
                        queued |= resolutions.tick(now, at);
                    }
                }
                queued |= resolutions.tick(now, now);
            } catch (RuntimeException e) {
                LOG.warn("resolving alerts failed ({}); trying again next tick", e.getMessage());
            }
        }
        queued |= decideDue(now);
        previousTick = now;
        if (!closing) {
            try {
                queued |= digests.tick(store, roster, params, now, Grouper.DEFAULT_ZONE, links.inbox(), wall.instant());
            } catch (RuntimeException e) {
                LOG.warn("digest not made ({}); trying again next tick", e.getMessage());
            }
        }
        if (queued) {
            worker.wake();
        }
        ticks++;
    }

    /** Acts on every timer due at or before {@code upTo}; @return whether messages were queued */
    private boolean decideDue(Instant upTo) {
        boolean queued = false;
        for (int round = 0; round < 100 && !closing; round++) {
            List<Group> due = store.due(upTo, 500);
            if (due.isEmpty()) {
                break;
            }
            for (Group g : due) {
                queued |= pipeline.decide(g, startedAt);
            }
        }
        return queued;
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

    private void refreshTemplates() {
        try {
            Map<String, String> stored = new java.util.LinkedHashMap<>();
            templateStore.all().forEach((k, v) -> stored.put(k, v.template()));
            if (!stored.equals(templates.stored())) {
                templates = MessageTemplates.of(stored);
            }
        } catch (RuntimeException e) {
            LOG.warn("message templates not read, keeping the previous ones: {}", e.getMessage());
        }
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
        stopTicker();
        worker.close();
        if (mail != null) {
            mail.close();
        }
    }
}
