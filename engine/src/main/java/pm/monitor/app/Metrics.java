package pm.monitor.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.calendar.CalendarHealth;
import pm.monitor.calendar.WorkCalendar;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;

/**
 * What {@code GET /metrics} shows, in Prometheus's text format: Vert.x's own meters (HTTP
 * server, worker pools), the JVM's, the database pool's (HikariCP) and the service's:
 *
 * <ul>
 * <li>{@code monitor_events_accepted_total}, {@code _duplicates_total},
 * {@code _rejected_total{field}}, {@code _late_total{status}}, {@code monitor_ingest_unavailable_total}:
 * counted as {@code POST /api/events} answers, so their rate is the ingest rate;
 * <li>{@code monitor_findings_total{rule,kind}}: findings stored (a restart's rebuild stores none
 * twice);
 * <li>{@code monitor_community_clock_lag_seconds{community}} and {@code monitor_clock_lag_max_seconds}:
 * how far each community's clock is behind the service's (the wall clock; with {@code --clock
 * events} the latest event time): a community whose engine cannot keep up, or with no events lately;
 * <li>{@code monitor_open_duties{community}}: duties waiting for their deadline;
 * <li>{@code monitor_alert_deliveries{channel,status}}: the outbox, by channel and state;
 * <li>{@code monitor_rules_changes{action}}: rules changes recorded (start, reload, rollback, refused);
 * <li>{@code monitor_calendar_days_left{calendar}}, {@code monitor_calendar_years_left{calendar}}:
 * how long until a calendar in use has no data (0 and -1 once the present year has none).
 * </ul>
 *
 * The gauges that need the engines or the database are read when {@code /metrics} is asked
 * for ({@link #refresh}), one reading at a time, never on a timer: a service nobody scrapes
 * pays nothing for them.
 */
public final class Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter unavailable;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> late = new ConcurrentHashMap<>();
    private final Map<String, Counter> findings = new ConcurrentHashMap<>();
    private final MultiGauge lag;
    private final MultiGauge openDuties;
    private final MultiGauge deliveries;
    private final MultiGauge rulesChanges;
    private final MultiGauge calendarDays;
    private final MultiGauge calendarYears;
    private final AtomicLong maxLagMillis = new AtomicLong();

    private Monitor monitor;
    private DSLContext dsl;
    private Clock wall;
    private boolean wallClock;

    public Metrics() {
        accepted = Counter.builder("monitor.events.accepted").description("events stored and applied (POST /api/events)")
                .register(registry);
        duplicates = Counter.builder("monitor.events.duplicates").description("events already stored, skipped")
                .register(registry);
        unavailable = Counter.builder("monitor.ingest.unavailable")
                .description("POST /api/events answered 503: the event store did not take the batch").register(registry);
        lag = MultiGauge.builder("monitor.community.clock.lag").baseUnit("seconds")
                .description("how far a community's clock is behind the service's clock").register(registry);
        Gauge.builder("monitor.clock.lag.max", maxLagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("the largest community clock lag").register(registry);
        openDuties = MultiGauge.builder("monitor.open.duties").description("duties waiting for their deadline")
                .register(registry);
        deliveries = MultiGauge.builder("monitor.alert.deliveries")
                .description("alert messages in the outbox, by channel and state").register(registry);
        rulesChanges = MultiGauge.builder("monitor.rules.changes")
                .description("rules changes recorded, by action (start, reload, rollback, refused)").register(registry);
        calendarDays = MultiGauge.builder("monitor.calendar.days.left")
                .description("days until a calendar in use has no data (0: the present year has none)").register(registry);
        Version v = Version.CURRENT;
        Gauge.builder("monitor.build.info", () -> 1).tags("version", v.version(), "commit", v.commit())
                .description("what the jar was built from (always 1)").register(registry);
        calendarYears = MultiGauge.builder("monitor.calendar.years.left")
                .description("whole years of data after the present one (-1: the present year has none)")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** What the gauges read: the engines, the database, and which clock is the service's. */
    public void watch(Monitor monitor, DSLContext dsl, Clock wall, boolean wallClock) {
        this.monitor = monitor;
        this.dsl = dsl;
        this.wall = wall;
        this.wallClock = wallClock;
    }

    /** One answer of {@code POST /api/events}. */
    public void ingested(Ingest.Outcome o) {
        accepted.increment(o.accepted());
        duplicates.increment(o.duplicates());
        for (Rejection r : o.rejected()) {
            String field = r.field() == null ? "line" : r.field();
            rejected.computeIfAbsent(field, f -> Counter.builder("monitor.events.rejected").tag("field", f)
                    .description("event lines rejected, by the field at fault (line: not JSON, too long)")
                    .register(registry)).increment();
        }
        for (Monitor.Late l : o.late()) {
            String status = l.applied() ? "applied" : "flagged";
            late.computeIfAbsent(status, s -> Counter.builder("monitor.events.late").tag("status", s)
                    .description("events behind their community's clock: applied by a rebuild, or flagged")
                    .register(registry)).increment();
        }
    }

    private final Counter shed = Counter.builder("monitor.ingest.shed")
            .description("POST /api/events answered 503: the heap was fuller than heap-limit after a GC").register(registry);

    /** A {@code POST /api/events} refused because the heap is too full (HeapGuard). */
    public void ingestShed() {
        shed.increment();
    }

    /** The heap in use after the last garbage collection, percent of the maximum (what heap-limit is checked against). */
    public void watch(HeapGuard heap) {
        Gauge.builder("monitor.heap.after.gc", heap, HeapGuard::percentUsed).baseUnit("percent")
                .description("heap in use after the last garbage collection, percent of the maximum").register(registry);
    }

    /** A {@code POST /api/events} answered 503. */
    public void ingestUnavailable() {
        unavailable.increment();
    }

    /** Findings just stored. */
    public void found(List<Finding> fresh) {
        for (Finding f : fresh) {
            findings.computeIfAbsent(f.rule() + '\u0000' + f.kind(), k -> Counter.builder("monitor.findings")
                    .tag("rule", f.rule()).tag("kind", f.kind()).description("findings stored, by rule and kind")
                    .register(registry)).increment();
        }
    }

    /**
     * Reads the gauges that need the engines and the database. Blocking (call it off the event
     * loop); a part that fails keeps its last values and is logged, the scrape goes on.
     */
    public synchronized void refresh() {
        if (monitor == null) {
            return;
        }
        try {
            engines();
        } catch (RuntimeException e) {
            LOG.warn("metrics: reading the engines failed: {}", e.toString());
        }
        try {
            calendars();
        } catch (RuntimeException e) {
            LOG.warn("metrics: reading the calendars failed: {}", e.toString());
        }
        try {
            database();
        } catch (RuntimeException e) {
            LOG.debug("metrics: reading the database failed: {}", e.toString());
        }
    }

    private record EngineSample(Instant clock, int openDuties) {
    }

    private void engines() {
        Instant now = wallClock ? wall.instant() : monitor.clock();
        List<String> communities = monitor.communities().orTimeout(5, TimeUnit.SECONDS).join();
        List<CompletableFuture<EngineSample>> parts = new ArrayList<>(communities.size());
        for (String c : communities) {
            parts.add(monitor.withEngine(c, e -> new EngineSample(e.clock(), e.duties().openCount())));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS).join();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> open = new ArrayList<>();
        long max = 0;
        for (int i = 0; i < communities.size(); i++) {
            EngineSample s = parts.get(i).join();
            Tags tags = Tags.of("community", communities.get(i));
            open.add(MultiGauge.Row.of(tags, s.openDuties()));
            if (now != null && s.clock() != null) {
                long millis = Math.max(0, Duration.between(s.clock(), now).toMillis());
                max = Math.max(max, millis);
                lags.add(MultiGauge.Row.of(tags, millis / 1000.0));
            }
        }
        lag.register(lags, true);
        openDuties.register(open, true);
        maxLagMillis.set(max);
    }

    private void calendars() {
        Instant now = wallClock ? wall.instant() : monitor.clock();
        if (now == null) {
            return;
        }
        Set<CalendarHealth.Use> uses = new LinkedHashSet<>();
        uses.add(CalendarHealth.Use.DEFAULT);
        uses.addAll(monitor.calendarUses());
        Map<String, long[]> left = new java.util.TreeMap<>();
        for (CalendarHealth.Use u : uses) {
            if (!monitor.rules().calendars().has(u.calendar())) {
                continue;
            }
            WorkCalendar c = monitor.rules().calendars().get(u.calendar());
            LocalDate today = LocalDate.ofInstant(now, u.zone());
            long days;
            long years;
            if (!c.covers(today)) {
                days = 0;
                years = -1;
            } else {
                int last = today.getYear();
                while (c.covers(last + 1)) {
                    last++;
                }
                days = ChronoUnit.DAYS.between(today, LocalDate.of(last + 1, 1, 1));
                years = last - today.getYear();
            }
            // several zones on one calendar: the one that runs out first
            left.merge(c.name(), new long[] {days, years}, (a, b) -> a[0] <= b[0] ? a : b);
        }
        List<MultiGauge.Row<?>> d = new ArrayList<>();
        List<MultiGauge.Row<?>> y = new ArrayList<>();
        left.forEach((name, v) -> {
            d.add(MultiGauge.Row.of(Tags.of("calendar", name), v[0]));
            y.add(MultiGauge.Row.of(Tags.of("calendar", name), v[1]));
        });
        calendarDays.register(d, true);
        calendarYears.register(y, true);
    }

    private void database() {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        dsl.resultQuery("SELECT channel, status, count(*) FROM deliveries GROUP BY channel, status").fetch()
                .forEach(r -> out.add(MultiGauge.Row.of(Tags.of("channel", r.get(0, String.class), "status",
                        r.get(1, String.class)), r.get(2, Long.class))));
        deliveries.register(out, true);
        List<MultiGauge.Row<?>> changes = new ArrayList<>();
        dsl.resultQuery("SELECT action, count(*) FROM rules_changes GROUP BY action").fetch()
                .forEach(r -> changes.add(MultiGauge.Row.of(Tags.of("action", r.get(0, String.class)),
                        r.get(1, Long.class))));
        rulesChanges.register(changes, true);
    }

    /** The text a scrape answers. */
    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        registry.close();
    }
}
