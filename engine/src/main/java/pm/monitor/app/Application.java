package pm.monitor.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.access.AccessService;
import pm.monitor.access.RateLimiter;
import pm.monitor.alert.AlertService;
import pm.monitor.engine.Admission;
import pm.monitor.engine.Clocks;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Event;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.http.AccessRoutes;
import pm.monitor.http.AlertRoutes;
import pm.monitor.http.ApiVerticle;
import pm.monitor.http.Addresses;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.engine.RulesCheck;
import pm.monitor.rules.RulesException;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.AuditStore;
import pm.monitor.store.Database;
import pm.monitor.store.EventStore;
import pm.monitor.store.FindingStore;
import pm.monitor.store.FindingWriter;
import pm.monitor.store.KpiStore;
import pm.monitor.store.Migrations;
import pm.monitor.store.RuleVersionStore;
import pm.monitor.store.TokenStore;
import pm.monitor.http.RulesRoutes;

/**
 * {@code serve}: builds every part with its constructor and starts them in order — database and
 * migrations, rules, the monitor rebuilt from the stored events, ingest, the clock, HTTP.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final Config config;
    private final Clock wall;
    private Database database;
    private Vertx vertx;
    private Monitor monitor;
    private KpiBoard board;
    private Ingest ingest;
    private FindingWriter findingWriter;
    private RulesService rulesService;
    private AlertService alerts;
    private AccessService access;
    private final Metrics metrics = new Metrics();
    private final HeapGuard heap;
    private int port;
    private ApiVerticle api;
    /** With --kafka: where POST /api/events sends events, and this instance's share of the topic. */
    private pm.monitor.cluster.EventLog eventLog;
    private pm.monitor.cluster.PartitionOwner owner;
    /** With --kafka: the cluster's live findings, read by every instance (set before any is found). */
    private volatile pm.monitor.cluster.FindingFeed feed;
    /** With --kafka: whether this instance does the cluster's alerts and scheduled reports. */
    private volatile pm.monitor.cluster.Leadership leadership;
    /** With --kafka: POST /api/clock moves every instance's communities, not only this one's. */
    private pm.monitor.cluster.ClockFeed clockFeed;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile boolean closing;
    private final AtomicReference<Instant> eventClock = new AtomicReference<>();
    private Clocks clocks;
    /** The highest sequence number among the events the rebuild gave the engines. */
    private long rebuiltSeq;

    public Application(Config config, Clock wall) {
        this.config = config;
        this.wall = wall;
        this.heap = HeapGuard.of(config.heapLimit());
        metrics.watch(heap);
    }

    /** Starts the service; returns when it answers HTTP. */
    public Application start() {
        long t0 = System.nanoTime();
        // What another serve may hold is checked before anything is built (a database started,
        // the rules compiled): a second serve says at once which port or folder is taken.
        checkPort(config.port());
        if (config.dbUrl() == null) {
            Database.checkFree(config.dataDir().resolve("pgdata"));
        }
        // An instance of a cluster without its Kafka would take no events: said before anything is built.
        pm.monitor.cluster.EventTopic topic = config.kafka() == null ? null
                : pm.monitor.cluster.EventTopic.ensure(config.kafka());
        database = config.dbUrl() != null
                ? Database.connect(config.dbUrl(), config.dbUser(), config.dbPassword())
                : Database.embedded(config.dataDir().resolve("pgdata"), config.embeddedPort(), config.fsync());
        database.meter(metrics.registry());
        Migrations.apply(database.dsl(), config.dbDir());
        long t1 = System.nanoTime();
        LOG.info("database ready: {} ({} ms)", database.describe(), (t1 - t0) / 1_000_000);
        EventStore events = new EventStore(database.dsl());
        RuleVersionStore versions = new RuleVersionStore(database.dsl());
        Start start = rulesAtStart(events, versions);
        RuleSet rules = start.rules();
        LOG.info("rules {} loaded from {}: {} rules", rules.version(), start.stored() ? "the rules_changes store"
                : config.rulesDir(), rules.rules().size());

        FindingStore findings = new FindingStore(database.dsl());
        KpiStore kpis = new KpiStore(database.dsl());
        // Vert.x's meters (HTTP server, worker pools, the JVM) go to the registry /metrics shows
        vertx = Vertx.builder()
                .with(new io.vertx.core.VertxOptions().setMetricsOptions(new io.vertx.micrometer.MicrometerMetricsOptions()
                        .setEnabled(true).setJvmMetricsEnabled(true)))
                .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics.registry()))
                .build();
        board = new KpiBoard();
        // values of periods the engines retired from memory are read back from the store
        board.archive(kpis::query);
        alerts = new AlertService(database.dsl(), wall, vertx, m -> {
            pm.monitor.cluster.FindingFeed cluster = feed;
            if (cluster != null) {
                cluster.sendAlert(m); // to every instance's alerts stream, this one's too
            } else {
                vertx.eventBus().publish(Addresses.ALERTS, m);
            }
        });
        findingWriter = new FindingWriter(findings, fresh -> {
            pm.monitor.cluster.FindingFeed cluster = feed;
            if (cluster != null) {
                // to every instance's live stream, this one's too, and to the alerts' leader
                cluster.send(fresh);
            } else {
                // at a stop the writer stores what the engines still had after Vert.x (and with it
                // the live stream) closed: nobody is listening, and publishing would throw
                for (Finding f : closing ? List.<Finding>of() : fresh) {
                    vertx.eventBus().publish(Addresses.FINDINGS, Json.line(f));
                }
                alerts.route(fresh);
            }
            metrics.found(fresh);
        });
        pm.monitor.store.ReviewStore reviews = new pm.monitor.store.ReviewStore(database.dsl());
        monitor = new Monitor(rules, config.shards(), findingWriter::accept, board,
                new pm.monitor.engine.Lateness(config.lateness(), events, findings, findingWriter, reviews))
                // open tickets untouched for ticket.dormant-after leave memory, back from the store on their next event
                .keepingUntouchedIn(events::historyOf)
                // a KPI back at target resolves the alerts of its fall (a rebuild's recoveries are seen again: no-ops);
                // in a cluster, through the findings topic to the alerts' leader, wherever it runs
                .onKpiRecovered(back -> {
                    pm.monitor.cluster.FindingFeed cluster = feed;
                    if (cluster != null) {
                        cluster.sendRecovered(back);
                    } else {
                        alerts.recovered(back);
                    }
                });
        // a rebuild's finding about a duty an earlier version reported is not reported again
        monitor.reported((community, subjects) -> {
            try {
                findingWriter.flushHanded(5_000); // an earlier finding of the duty may still be on its way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return findings.ofDuties(community, subjects);
        });
        metrics.watch(monitor, database.dsl(), wall, config.wallClock());
        Admission admission = new Admission(rules);
        startVersion(rules, versions, events);

        long tr = System.nanoTime();
        // In a cluster each instance rebuilds only the communities of the partitions Kafka assigns
        // it, when it assigns them (PartitionOwner); nothing is rebuilt here.
        long stored = config.kafka() == null ? rebuild(events, findings, admission) : 0;
        if (config.kafka() != null) {
            rebuiltSeq = events.maxSeq();
            Instant latest = events.latestAt();
            if (latest != null && !config.wallClock()) {
                eventClock.set(latest);
            }
        }
        events.countStored(); // once: health reports the count ingest keeps from here
        if (config.kafka() == null) {
            reviewOwed(reviews);
        }
        long t2 = System.nanoTime();
        LOG.info("state rebuilt from {} stored events in {} ms (rules loaded and dry-run in {} ms before)", stored,
                (t2 - tr) / 1_000_000, (tr - t1) / 1_000_000);
        if (config.kafka() == null) {
            alerts.start(config.wallClock() ? wall::instant : eventClock::get, config.tickMillis());
        }

        // Each community has its own clock: with the event clock a batch moves only the
        // communities of its events (their engines, as they take them); the service's present
        // (alerts, rules activation, calendar health) is the newest stored event.
        clocks = new Clocks(config.wallClock() ? wall : null, config.lateness(), config.futureTolerance(),
                config.maxAhead());
        ingest = new Ingest(events, admission, monitor, config.wallClock() ? null : this::noteEventTime, rebuiltSeq,
                clocks);
        board.listener(changed -> {
            for (Kpi k : changed) {
                vertx.eventBus().publish(Addresses.KPIS, Json.line(k));
            }
        });
        if (config.wallClock()) {
            vertx.setPeriodic(config.tickMillis(), id -> tick());
        }
        vertx.setPeriodic(1000, id -> {
            if (closing) {
                return;
            }
            vertx.executeBlocking(() -> {
                List<Kpi> unsaved = board.drainUnsaved();
                try {
                    kpis.upsert(unsaved);
                } catch (RuntimeException e) {
                    board.put(unsaved);
                    LOG.warn("storing {} KPI values failed: {}", unsaved.size(), e.getMessage());
                }
                return null;
            }, false);
        });

        // A calendar in use with no data for the present, or running out within 60 days, is said in
        // the log when it starts (and in /api/health while it lasts).
        pm.monitor.calendar.CalendarHealth.Log calendarLog = new pm.monitor.calendar.CalendarHealth.Log();
        calendarLog.log(monitor.calendarHealth());
        vertx.setPeriodic(60_000, id -> calendarLog.log(monitor.calendarHealth()));

        AuditStore audit = new AuditStore(database.dsl());
        access = new AccessService(new TokenStore(database.dsl()), new pm.monitor.store.UserStore(database.dsl()),
                new pm.monitor.store.SessionStore(database.dsl()), audit, wall, config.auth(),
                new RateLimiter(config.rate(), config.burst()), config.sessions());
        access.start();
        // A token created or revoked with the CLI beside the running service counts within seconds.
        vertx.setPeriodic(5000, id -> {
            if (!closing) {
                vertx.executeBlocking(() -> {
                    access.refresh();
                    return null;
                }, false);
            }
        });

        List<ApiVerticle.Routes> modules = new ArrayList<>();
        modules.add(new AccessRoutes(access));
        rulesService = new RulesService(config.rulesDir(), monitor, admission, events, versions, wall, this::now);
        if (start.folder() != null && !start.folder().ok()) {
            rulesService.refusedAtStart(start.folder());
        } else if (start.folder() != null) {
            // the folder changed while the service was stopped: put live as a reload would, from
            // the version that ran before (its open duties judged again, its breaches standing)
            RulesService.Outcome o = rulesService.applyAtStart(start.folder());
            LOG.info("rules of the folder at start: {} {}", o.status(), o.version());
        }
        if (config.watchRules()) {
            rulesService.watch();
        }
        Backtests backtests = new Backtests(events, monitor::rules, config.rulesDir(), wall);
        modules.add(new RulesRoutes(vertx, rulesService, versions, findings, monitor, backtests, audit));
        modules.add(new AlertRoutes(alerts, audit,
                () -> monitor.rules().rules().stream().map(pm.monitor.rules.RuleInfo::id).filter(java.util.Objects::nonNull)
                        .collect(java.util.stream.Collectors.toSet()),
                () -> java.util.Set.copyOf(monitor.communities().join())));
        modules.add(new pm.monitor.http.TemplateRoutes(alerts, audit));
        modules.add(new pm.monitor.http.ReviewRoutes(vertx, reviews));
        pm.monitor.store.ReportStore reportStore = new pm.monitor.store.ReportStore(database.dsl());
        pm.monitor.store.ScheduledReportStore scheduled = new pm.monitor.store.ScheduledReportStore(database.dsl());
        // In a cluster this instance's engines know only their communities and their clocks: the
        // cluster's present (the newest event any instance stored, or this one's moved clock) drives
        // the alerts, and the dashboard's directory and the reports list every stored community.
        java.util.function.Supplier<Instant> clusterClock = config.kafka() == null ? null
                : config.wallClock() ? wall::instant : new pm.monitor.cluster.ClusterClock(eventClock::get, events);
        pm.monitor.report.Directory.Elsewhere elsewhere = config.kafka() == null ? null
                : new pm.monitor.cluster.ClusterDirectory(events, clusterClock);
        if (clusterClock != null) {
            alerts.clock(clusterClock); // acknowledgements on any instance; the leader ticks
        }
        modules.add(new pm.monitor.http.DashboardRoutes(monitor, board, events, reportStore, wall, scheduled, elsewhere));
        // The monthly and weekly reports, made when the events' clock passes a period's end (ReportSchedule).
        pm.monitor.report.ReportSchedule schedule = new pm.monitor.report.ReportSchedule(monitor, board, reportStore,
                scheduled, new pm.monitor.alert.ReportMail(vertx, alerts), wall, elsewhere);
        vertx.setPeriodic(2000, id -> {
            if (!closing && leading()) {
                vertx.executeBlocking(() -> {
                    try {
                        schedule.tick();
                    } catch (RuntimeException e) {
                        LOG.warn("scheduled reports: {}", e.toString());
                    }
                    return null;
                }, false);
            }
        });
        if (config.kafka() != null) {
            eventLog = new pm.monitor.cluster.EventLog(config.kafka());
            String instance = java.util.UUID.randomUUID().toString().substring(0, 8);
            // One instance, the holder of a lock in PostgreSQL, routes every instance's findings to
            // alerts, runs their clock and sends their outbox, and makes the scheduled reports.
            leadership = new pm.monitor.cluster.Leadership(config.dbUrl(), config.dbUser(), config.dbPassword(), instance,
                    new pm.monitor.cluster.Leadership.Duties() {
                        @Override
                        public void lead() {
                            alerts.start(clusterClock, config.tickMillis());
                        }

                        @Override
                        public void follow() {
                            alerts.pause();
                        }
                    });
            pm.monitor.cluster.Leadership leader = leadership;
            feed = new pm.monitor.cluster.FindingFeed(config.kafka(), instance,
                    line -> vertx.eventBus().publish(Addresses.FINDINGS, line), ids -> {
                        if (leader.leading()) {
                            alerts.routeStored(ids);
                        }
                    }, alerts::recovered, m -> vertx.eventBus().publish(Addresses.ALERTS, m));
            leadership.start();
            // A finding stored by an instance that died before it reached the findings topic is
            // routed by the leader's sweep of the last ten minutes' unrouted findings.
            vertx.setPeriodic(10_000, id -> {
                if (!closing && leadership.leading()) {
                    vertx.executeBlocking(() -> {
                        int n = alerts.sweep(java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(30));
                        if (n > 0) {
                            LOG.info("{} findings stored over 30 s ago and never routed: routed now", n);
                        }
                        return null;
                    }, false);
                }
            });
            clockFeed = new pm.monitor.cluster.ClockFeed(config.kafka(), instance, this::advanceEventClock);
            owner = new pm.monitor.cluster.PartitionOwner(config.kafka(), instance, topic, events, admission, monitor,
                    ingest, findingWriter, board).start();
            board.shared(); // GET /api/kpis: the other instances' communities from the store
            LOG.info("an instance of the cluster on Kafka {}: topic {} with {} partitions, group {} as member monitor-{}",
                    config.kafka(), pm.monitor.cluster.EventTopic.NAME, topic.partitions(),
                    pm.monitor.cluster.PartitionOwner.GROUP, instance);
        }
        api = new ApiVerticle(config, eventLog != null ? eventLog : ingest, monitor, events, findings, board,
                clockFeed != null ? clockFeed::advance : this::advanceEventClock,
                modules, access, metrics, heap);
        try {
            vertx.deployVerticle(api, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)).await();
        } catch (RuntimeException e) {
            // taken between the check at start and now
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.net.BindException) {
                    throw CannotStart.portInUse(config.port());
                }
            }
            throw e;
        }
        port = api.port();
        LOG.info("serving on http://localhost:{}/ ({} clock) — started in {} ms", port,
                config.wallClock() ? "wall" : "event", (System.nanoTime() - t0) / 1_000_000);
        linkBase();
        return this;
    }

    /**
     * The base of the link in every alert message (issue 19.2): the alert setting public.url,
     * else --public-url, else this server's localhost address, which a manager's phone cannot
     * open, so start-up says so.
     */
    private void linkBase() {
        String local = "http://localhost:" + port;
        alerts.linkBase(config.publicUrl() != null ? config.publicUrl() : local);
        if (alerts.linkBase().equals(local)) {
            LOG.warn("the links in alert messages point to {}, which managers' phones cannot open: set --public-url "
                    + "(MONITOR_PUBLIC_URL, public-url in monitor.conf) to the dashboard's address as they reach it "
                    + "(告警消息中的链接指向本机地址，手机无法打开：请设置 --public-url)", local);
        } else {
            LOG.info("links in alert messages start with {}", alerts.linkBase());
        }
    }

    /** Fails with {@link CannotStart} when the HTTP port (all interfaces, as the server binds it) is taken. */
    static void checkPort(int port) {
        if (port <= 0) {
            return;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(port));
        } catch (java.io.IOException e) {
            throw CannotStart.portInUse(port);
        }
    }

    /**
     * The rules a start runs with, and the folder's check when it is to be applied after the
     * rebuild ({@code folder}: null when the folder's version is the one that runs).
     */
    private record Start(RuleSet rules, boolean stored, RulesCheck.Result folder) {
    }

    /**
     * Which rules to start with. The folder is checked as every command loads it (compile and
     * dry run). When it is the version that was live before the stop, that runs. Otherwise the
     * service starts on the version that was live (from rules_changes) and then puts the folder
     * live as a reload would — or, when the folder is refused (a file it cannot read, a rule that
     * fails), keeps running the version that was live and says so in health: a refused file in
     * the folder is never an outage. With no version recorded yet, a refused folder stops the start.
     */
    private Start rulesAtStart(EventStore events, RuleVersionStore versions) {
        java.util.Set<String> known;
        try {
            known = events.communities();
        } catch (RuntimeException e) {
            known = null;
        }
        RulesCheck.Result folder = RulesCheck.check(config.rulesDir(), known, wall);
        folder.notes().forEach(n -> LOG.info("rules folder: {}", n));
        RuleVersionStore.Active active = versions.active();
        if (active == null || (folder.ok() && folder.rules().version().equals(active.version()))) {
            if (!folder.ok()) {
                throw new RulesException(folder.problems());
            }
            return new Start(folder.rules(), false, null);
        }
        RulesCheck.Result stored = RulesCheck.checkStored(active.version(), active.files(), config.rulesDir(), wall);
        if (!stored.ok()) {
            LOG.warn("the rules version {} that ran before cannot be loaded again: {}", active.version(), stored.problems());
            if (!folder.ok()) {
                throw new RulesException(folder.problems());
            }
            return new Start(folder.rules(), false, null); // recorded as changed while stopped (startVersion)
        }
        if (!folder.ok()) {
            LOG.warn("the rules folder {} is refused ({} problems); starting on the version that ran before, {}",
                    config.rulesDir(), folder.problems().size(), active.version());
            folder.problems().forEach(p -> LOG.warn("  {}", p));
        }
        return new Start(stored.rules(), true, folder);
    }

    /**
     * Records the rules version this start runs with. Its findings stamped at or before its
     * activation belong to the versions before it and are not emitted by the rebuild; rules
     * changed while the service was down take effect from now.
     */
    private void startVersion(RuleSet rules, RuleVersionStore versions, EventStore events) {
        RuleVersionStore.Active active = versions.active();
        if (active == null) {
            versions.record(rules.version(), "start", "serve", null, rules.files(), List.copyOf(rules.files().keySet()),
                    "", null);
            return;
        }
        if (active.version().equals(rules.version())) {
            monitor.activation(active.activatedAt());
            return;
        }
        Instant now = config.wallClock() ? wall.instant() : events.latestAt();
        versions.record(rules.version(), "start", "serve (rules changed while stopped)", now, rules.files(),
                RulesService.changed(active.files(), rules.files()), RulesService.diff(active.files(), rules.files()), null);
        monitor.activation(now);
    }

    /** The clock from which a rules change takes effect: the wall clock, or the event clock. */
    private Instant now() {
        if (config.wallClock()) {
            return wall.instant();
        }
        Instant at = eventClock.get();
        return at == null ? Instant.EPOCH : at;
    }

    public RulesService rules() {
        return rulesService;
    }

    /** Replays the stored events into the engines; stored findings are not emitted again. */
    private long rebuild(EventStore events, FindingStore findings, Admission admission) {
        findingWriter.known(findings.ids());
        List<Event> batch = new ArrayList<>();
        long[] seqs = new long[10_000];
        long[] n = {0};
        Instant[] last = {null};
        // Per community in event-time order, flagged events left out (EventStore.forEach): no event
        // comes behind its clock here, so a restart gives the findings the running service had.
        List<CompletableFuture<List<Monitor.Late>>> inFlight = new ArrayList<>();
        events.forEach(null, Long.MAX_VALUE, (e, seq) -> {
            admission.record(e);
            rebuiltSeq = Math.max(rebuiltSeq, seq);
            seqs[batch.size()] = seq;
            batch.add(e);
            n[0]++;
            if (last[0] == null || e.at().isAfter(last[0])) {
                last[0] = e.at();
            }
            if (batch.size() == seqs.length) {
                inFlight.add(monitor.submit(new ArrayList<>(batch), seqs.clone()));
                batch.clear();
                if (inFlight.size() >= 8) {
                    inFlight.remove(0).join();
                }
            }
        });
        inFlight.add(monitor.submit(batch, java.util.Arrays.copyOf(seqs, batch.size())));
        inFlight.forEach(CompletableFuture::join);
        if (config.wallClock()) {
            monitor.advance(wall.instant(), true).join();
        } else if (last[0] != null) {
            // each community's clock is where its own events left it, as before the restart
            eventClock.set(last[0]);
            monitor.present(last[0]);
        }
        try {
            findingWriter.flush(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        findingWriter.known(null);
        return n[0];
    }

    /**
     * The reviews of flagged events that a crash left owed (their flags were stored with them,
     * the process died before the reviews): made now, against the rebuilt state.
     */
    private void reviewOwed(pm.monitor.store.ReviewStore reviews) {
        List<pm.monitor.store.ReviewStore.Owed> owed = reviews.owed();
        if (owed.isEmpty()) {
            return;
        }
        List<Event> events = new ArrayList<>(owed.size());
        long[] seqs = new long[owed.size()];
        java.time.Duration[] flags = new java.time.Duration[owed.size()];
        for (int i = 0; i < owed.size(); i++) {
            events.add(owed.get(i).event());
            seqs[i] = owed.get(i).seq();
            flags[i] = owed.get(i).lateBy();
        }
        monitor.submit(events, seqs, flags).join();
        LOG.info("{} flagged events had no review (a crash after they were stored): reviewed now", owed.size());
    }

    /** Event clock: a batch was stored; its newest event time is the service's present if it is later. */
    private void noteEventTime(Instant latest) {
        eventClock.accumulateAndGet(latest, (a, b) -> a == null || b.isAfter(a) ? b : a);
        monitor.present(latest);
    }

    private void tick() {
        if (ticking.compareAndSet(false, true)) {
            monitor.advance(wall.instant(), true).whenComplete((v, e) -> {
                ticking.set(false);
                if (e != null) {
                    LOG.error("clock tick failed", e);
                }
            });
        }
    }

    /**
     * In event-clock mode ({@code POST /api/clock}): moves every community whose clock is behind
     * {@code to} there. With {@code inclusive}, the deadlines exactly at {@code to} are judged too.
     */
    private CompletableFuture<Void> advanceEventClock(Instant to, boolean inclusive) {
        clocks.ranTo(to);
        eventClock.accumulateAndGet(to, (a, b) -> a == null || b.isAfter(a) ? b : a);
        return monitor.advance(to, inclusive);
    }

    public int port() {
        return port;
    }

    public Ingest ingest() {
        return ingest;
    }

    /** The HTTP endpoints served ({@link ApiVerticle#endpoints}). */
    public java.util.SortedSet<String> endpoints() {
        return api.endpoints();
    }

    /** Whether this instance runs the alerts and the scheduled reports: always on one node; in a cluster, one of them. */
    public boolean leading() {
        pm.monitor.cluster.Leadership l = leadership;
        return config.kafka() == null || (l != null && l.leading()); // an instance starting does not lead yet
    }

    /** With --kafka: this instance's member of the consumer group; null on one node. */
    public pm.monitor.cluster.PartitionOwner owner() {
        return owner;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Monitor monitor() {
        return monitor;
    }

    public KpiBoard board() {
        return board;
    }

    public Database database() {
        return database;
    }

    public AccessService access() {
        return access;
    }

    public AlertService alerts() {
        return alerts;
    }

    public Metrics metrics() {
        return metrics;
    }

    public FindingWriter findingWriter() {
        return findingWriter;
    }

    @Override
    public void close() {
        closing = true;
        if (owner != null) {
            owner.close(); // its partitions go to the other instances at once
        }
        pm.monitor.cluster.FindingFeed f = feed;
        if (f != null) {
            feed = null; // findings stored from here on are published here only
            f.close();
        }
        if (leadership != null) {
            leadership.close(); // stops the alerts here, then another instance leads
        }
        if (clockFeed != null) {
            clockFeed.close();
        }
        if (alerts != null) {
            alerts.close();
        }
        if (rulesService != null) {
            rulesService.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (eventLog != null) {
            eventLog.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (findingWriter != null) {
            findingWriter.close();
        }
        if (database != null) {
            database.close();
        }
        heap.close();
        metrics.close();
    }
}
