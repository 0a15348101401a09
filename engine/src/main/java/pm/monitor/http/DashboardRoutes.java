package pm.monitor.http;

import static pm.monitor.http.Params.date;
import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.list;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Params.required;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.calendar.Times;
import pm.monitor.engine.Monitor;
import pm.monitor.fact.Duty;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiIds;
import pm.monitor.report.Directory;
import pm.monitor.report.Labels;
import pm.monitor.report.MonthlyReport;
import pm.monitor.report.Overview;
import pm.monitor.report.NaturalOrder;
import pm.monitor.report.People;
import pm.monitor.report.PeriodRange;
import pm.monitor.report.RulesView;
import pm.monitor.report.TableExport;
import pm.monitor.report.TicketTimes;
import pm.monitor.rules.Params;
import pm.monitor.store.EventStore;
import pm.monitor.store.ReportStore;
import pm.monitor.store.ScheduledReportStore;

/**
 * The dashboard's read models under {@code /api/dashboard/}: the community directory, the KPI
 * overview, trends, drill-down from a KPI to its tickets and to one ticket's timeline, the rules
 * view and the monthly report. Everything is filtered and paged here so that the page never
 * holds more than a screenful, whatever the number of communities and findings. The live feed
 * uses {@code GET /api/findings} and {@code GET /api/stream} as they are.
 *
 * <p>Database work and the engines' answers are waited for on worker threads, never on the
 * event loop; an engine is only read on its own thread ({@link Monitor#withEngine}).
 */
public final class DashboardRoutes implements ApiVerticle.Routes {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);

    /** KPIs counted per ticket, whose tickets the engine can list. */
    private static final Set<String> TICKET_KPIS = Set.of(KpiIds.TIMELINESS, KpiIds.RESPONSE, KpiIds.FOLLOW_UP,
            KpiIds.REPAIR_TIMELINESS, KpiIds.REPAIR_COMPLETION, KpiIds.REWORK);

    /** KPIs counted per call, building-day or follow-up: their drill-down is the rule's findings. */
    private static final Map<String, String[]> FINDING_KPIS = Map.of(
            KpiIds.CALLS, new String[] {"call.three-rings", "violation"},
            KpiIds.PATROL_COVERAGE, new String[] {"patrol.daily", "violation"},
            KpiIds.SATISFACTION, new String[] {"complaint.dissatisfied", "alert"});

    private final Monitor monitor;
    private final KpiBoard board;
    private final EventStore events;
    private final ReportStore reports;
    private final Clock wall;
    /** The reports the schedule made, or null where there is none. */
    private final ScheduledReportStore scheduled;

    public DashboardRoutes(Monitor monitor, KpiBoard board, EventStore events, ReportStore reports, Clock wall) {
        this(monitor, board, events, reports, wall, null);
    }

    public DashboardRoutes(Monitor monitor, KpiBoard board, EventStore events, ReportStore reports, Clock wall,
                           ScheduledReportStore scheduled) {
        this.scheduled = scheduled;
        this.monitor = monitor;
        this.board = board;
        this.events = events;
        this.reports = reports;
        this.wall = wall;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/dashboard/labels").handler(ctx ->
                ApiVerticle.json(ctx, 200, Labels.all(Labels.lang(ctx.request().getParam("lang")))));
        router.get("/api/dashboard/communities").handler(guard(this::communities));
        router.get("/api/dashboard/overview").handler(guard(this::overview));
        router.get("/api/dashboard/trends").handler(guard(this::trends));
        router.get("/api/dashboard/categories").handler(guard(this::categories));
        router.get("/api/dashboard/tickets").handler(guard(this::tickets));
        router.get("/api/dashboard/tickets/:community/:ticket").handler(guard(this::timeline));
        router.get("/api/dashboard/people").handler(guard(this::people));
        router.get("/api/dashboard/people/:community/:staff").handler(guard(this::people));
        router.get("/api/dashboard/times").handler(guard(this::times));
        router.post("/api/dashboard/export").handler(guard(this::export));
        router.get("/api/dashboard/reports").handler(guard(this::scheduledReports));
        router.get("/api/dashboard/reports/:kind/:period").handler(guard(this::scheduledReport));
        router.get("/api/dashboard/rules").handler(guard(this::rules));
        router.get("/api/dashboard/report").handler(guard(this::report));
    }

    private Params companyParams() {
        return monitor.rules().parameters().forCommunity("*");
    }

    /** The communities the caller may see (a limited token: its own). */
    private Directory directory(RoutingContext ctx) {
        return Directory.load(monitor, reports, wall).only(scope(ctx));
    }

    /** The caller's communities, or null for all. */
    private static Set<String> scope(RoutingContext ctx) {
        return AccessHandler.principal(ctx).communities();
    }

    // ---- views --------------------------------------------------------------------------------

    private void communities(RoutingContext ctx) {
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Directory.Community c : dir.communities()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("community", c.code());
                m.put("name", c.name());
                m.put("zone", c.zone().getId());
                items.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("asOf", dir.asOf().toString());
            out.put("companyZone", dir.companyZone().getId());
            // A token limited to some communities sees their sum as "*": the page must not call it 全公司.
            out.put("scoped", scope(ctx) != null);
            out.put("rulesVersion", monitor.rules().version());
            out.put("items", items);
            return out;
        });
    }

    private void overview(RoutingContext ctx) {
        LocalDate date = date(ctx, "date");
        String q = param(ctx, "q");
        boolean under = "1".equals(param(ctx, "under")) || "true".equals(param(ctx, "under"));
        String basis = param(ctx, "basis", "month");
        String sort = param(ctx, "sort", "code");
        int limit = Math.min(integer(ctx, "limit", 50), 200);
        int offset = integer(ctx, "offset", 0);
        blocking(ctx, () -> new Overview(board, companyParams(), scope(ctx))
                .page(directory(ctx), date, q, under, basis, sort, limit, offset));
    }

    /**
     * One KPI over time for the company (the caller's communities) and some communities, with its
     * target: by month (the last {@code months}, or {@code from}–{@code to}), by ISO week or by day
     * ({@code by=week|day}: the last {@code count}, or {@code from}–{@code to}; at most 400).
     */
    private void trends(RoutingContext ctx) {
        String kpi = param(ctx, "kpi", KpiIds.TIMELINESS);
        String by = param(ctx, "by", "month");
        int months = Math.max(1, Math.min(integer(ctx, "months", 6), 36));
        int count = Math.max(1, Math.min(integer(ctx, "count", by.equals("day") ? 31 : 12), 400));
        List<String> communities = list(ctx, "community");
        YearMonth last = month(ctx, "month");
        LocalDate from = date(ctx, "from");
        LocalDate to = date(ctx, "to");
        if (!Overview.GRAINS.contains(by)) {
            throw new IllegalArgumentException("by 应为 " + Overview.GRAINS + " 之一 / by must be one of " + Overview.GRAINS + ", not " + by);
        }
        blocking(ctx, () -> {
            if (!Overview.KPIS.contains(kpi)) {
                throw new IllegalArgumentException("kpi 应为 " + Overview.KPIS + " 之一 / kpi must be one of " + Overview.KPIS);
            }
            Directory dir = directory(ctx);
            LocalDate today = LocalDate.ofInstant(dir.asOf(), dir.companyZone());
            List<String> periods;
            if (from != null || to != null) {
                LocalDate end = to != null ? to : today;
                periods = Overview.periods(by, from != null ? from : end.minusDays(30), end, 400);
            } else if (by.equals("month")) {
                periods = Overview.months(last != null ? last : YearMonth.from(today), months);
            } else {
                periods = Overview.periods(by, today.minusDays(by.equals("day") ? count - 1 : 7L * (count - 1)), today, count);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("by", by);
            out.putAll(new Overview(board, companyParams(), scope(ctx)).trend(dir, kpi, periods, communities, 8));
            return out;
        });
    }

    private void categories(RoutingContext ctx) {
        String community = param(ctx, "community", "*");
        int months = Math.max(1, Math.min(integer(ctx, "months", 6), 36));
        YearMonth last = month(ctx, "month");
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            YearMonth end = last != null ? last : YearMonth.from(dir.asOf().atZone(dir.companyZone()));
            return new Overview(board, companyParams(), scope(ctx)).categories(community, Overview.months(end, months));
        });
    }

    /** Drill-down: the tickets behind one community's KPI in one period. */
    private void tickets(RoutingContext ctx) {
        String community = required(ctx, "community");
        String kpi = required(ctx, "kpi");
        String period = required(ctx, "period");
        String in = param(ctx, "in", "all");
        int limit = Math.min(integer(ctx, "limit", 50), 500);
        int offset = integer(ctx, "offset", 0);
        if (!Set.of("all", "numerator", "other").contains(in)) {
            throw new IllegalArgumentException("in 应为 all、numerator 或 other / in must be all, numerator or other, not " + in);
        }
        PeriodRange range = PeriodRange.of(period);
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            Directory.Community c = dir.get(community);
            if (c == null) {
                throw new NotFound("没有社区 " + community + " / no community " + community);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("community", community);
            out.put("name", c.name());
            out.put("zone", c.zone().getId());
            out.put("kpi", kpi);
            out.put("period", period);
            List<Kpi> value = board.query(Set.of(community), kpi, period, companyParams());
            out.put("value", value.isEmpty() ? null : Json.toMap(value.get(0)));
            out.put("from", Times.iso(range.from(c.zone()), c.zone()));
            out.put("to", Times.iso(range.to(c.zone()), c.zone()));
            if (FINDING_KPIS.containsKey(kpi)) {
                out.put("mode", "findings");
                out.put("rule", FINDING_KPIS.get(kpi)[0]);
                out.put("kind", FINDING_KPIS.get(kpi)[1]);
                return out;
            }
            if (!TICKET_KPIS.contains(kpi)) {
                throw new IllegalArgumentException("指标 " + kpi + " 没有明细 / no drill-down for " + kpi);
            }
            out.put("mode", "tickets");
            out.put("in", in);
            out.putAll(monitor.withEngine(community, e -> {
                List<Map.Entry<String, Boolean>> all = new ArrayList<>(e.ticketsBehind(kpi, period));
                all.sort(Map.Entry.comparingByKey(NaturalOrder.INSTANCE)); // Q2 before Q10
                List<Map.Entry<String, Boolean>> chosen = new ArrayList<>();
                long numerator = 0;
                for (Map.Entry<String, Boolean> t : all) {
                    numerator += t.getValue() ? 1 : 0;
                    if (in.equals("all") || t.getValue() == in.equals("numerator")) {
                        chosen.add(t);
                    }
                }
                List<Map<String, Object>> items = new ArrayList<>();
                for (Map.Entry<String, Boolean> t : chosen.subList(Math.min(offset, chosen.size()),
                        Math.min(chosen.size(), offset + limit))) {
                    Map<String, Object> m = ticketSummary(e.tracker().ticket(t.getKey()), e.zone());
                    m.put("ticket", t.getKey());
                    m.put("inNumerator", t.getValue());
                    items.add(m);
                }
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("denominator", all.size());
                page.put("numerator", numerator);
                page.put("total", chosen.size());
                page.put("limit", limit);
                page.put("offset", offset);
                page.put("items", items);
                // Tickets closed 62 days and more before the event clock are archived (README
                // "Retention"): an older period lists only those still in memory; its value stays whole.
                Instant archived = e.archivedBefore();
                if (archived != null && range.from(e.zone()).isBefore(archived)) {
                    page.put("archivedBefore", Times.iso(archived, e.zone()));
                    page.put("note", "tickets closed before " + Times.iso(archived, e.zone())
                            + " are archived and not listed; the value counts them");
                }
                return page;
            }).join());
            return out;
        });
    }

    /** What the drill-down list shows of a ticket; read on the engine's thread. */
    private static Map<String, Object> ticketSummary(Ticket t, ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (t == null) {
            return m;
        }
        m.put("kind", t.getKind());
        m.put("channel", t.getChannel());
        m.put("category", t.getCategory());
        m.put("validity", t.getValidity());
        m.put("urgency", t.getUrgency());
        m.put("household", t.getHousehold());
        m.put("incident", t.getIncident());
        m.put("receivedAt", Times.iso(t.getReceivedAt(), zone));
        m.put("summary", t.getSummary());
        m.put("open", t.isOpen());
        Set<String> breached = new LinkedHashSet<>();
        // Only time limits missed: a breached alert duty (an escalation) does not count against a KPI.
        for (Duty d : t.getDuties()) {
            if (d.isBreached() && "violation".equals(d.getKind())) {
                breached.add(d.getRule());
            }
        }
        m.put("breached", new ArrayList<>(breached));
        return m;
    }

    /** One ticket's timeline: its events, its deadlines with their explanations, its findings. */
    private void timeline(RoutingContext ctx) {
        String community = ctx.pathParam("community");
        String ticket = ctx.pathParam("ticket");
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            Directory.Community c = dir.get(community);
            if (c == null) {
                throw new NotFound("没有社区 " + community + " / no community " + community);
            }
            Map<String, Object> engine = monitor.withEngine(community, e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                Ticket t = e.tracker().ticket(ticket);
                m.put("ticket", t == null ? null : ticketSummary(t, e.zone()));
                m.put("deadlines", e.deadlinesOf(ticket));
                m.put("rulesVersion", e.rulesVersion());
                return m;
            }).join();
            List<Object> timeline = new ArrayList<>();
            String incident = null;
            for (String json : events.ofTicket(community, ticket)) {
                Object event = Json.parse(json);
                timeline.add(event);
                if (event instanceof Map<?, ?> m && m.get("incident") instanceof String s) {
                    incident = s;
                }
            }
            if (timeline.isEmpty() && engine.get("ticket") == null) {
                throw new NotFound("社区 " + community + " 没有工单 " + ticket + " / no ticket " + ticket + " in community " + community);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("community", community);
            out.put("name", c.name());
            out.put("zone", c.zone().getId());
            out.put("id", ticket);
            out.put("ticket", engine.get("ticket"));
            out.put("rulesVersion", engine.get("rulesVersion"));
            out.put("events", timeline);
            out.put("deadlines", engine.get("deadlines"));
            out.put("findings", reports.findingsOf(community, ticket, incident));
            return out;
        });
    }

    /**
     * Who answered for what in one community and period ({@link People}); with a staff id in the
     * path, that person's time limits and tickets.
     */
    private void people(RoutingContext ctx) {
        String community = ctx.pathParam("community") != null ? ctx.pathParam("community") : required(ctx, "community");
        String staff = ctx.pathParam("staff");
        String requested = param(ctx, "period");
        PeriodRange fixed = requested == null ? null : PeriodRange.of(requested);
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            Directory.Community c = dir.get(community);
            if (c == null) {
                throw new NotFound("没有社区 " + community + " / no community " + community);
            }
            String period = requested != null ? requested : YearMonth.from(dir.asOf().atZone(c.zone())).toString();
            PeriodRange range = fixed != null ? fixed : PeriodRange.of(period);
            People people = monitor.withEngine(community, e -> People.collect(e, c.name(), range.from(e.zone()),
                    range.to(e.zone()))).join();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("period", period);
            out.put("from", Times.iso(range.from(c.zone()), c.zone()));
            out.put("to", Times.iso(range.to(c.zone()), c.zone()));
            out.putAll(staff == null ? people.table() : people.person(staff));
            return out;
        });
    }

    /**
     * Time metrics ({@link TicketTimes}): median and p90 of each step of the tickets received in a
     * period (each community's own local period), per community, category or channel, with the
     * handbook limits beside; for some communities or all the caller may see.
     */
    private void times(RoutingContext ctx) {
        List<String> communities = list(ctx, "community");
        String by = param(ctx, "by", "community");
        String requested = param(ctx, "period");
        PeriodRange fixed = requested == null ? null : PeriodRange.of(requested);
        if (!TicketTimes.GROUPS.contains(by)) {
            throw new IllegalArgumentException("by 应为 " + TicketTimes.GROUPS + " 之一 / by must be one of " + TicketTimes.GROUPS + ", not " + by);
        }
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            String period = requested != null ? requested : YearMonth.from(dir.asOf().atZone(dir.companyZone())).toString();
            PeriodRange range = fixed != null ? fixed : PeriodRange.of(period);
            Set<String> wanted = new java.util.TreeSet<>();
            for (Directory.Community c : dir.communities()) {
                if (communities == null || communities.contains(c.code())) {
                    wanted.add(c.code());
                }
            }
            if (communities != null) {
                for (String c : communities) {
                    if (!wanted.contains(c)) {
                        throw new NotFound("没有社区 " + c + " / no community " + c);
                    }
                }
            }
            // Zones differ by at most a day: read a day either side, keep each community's own period.
            List<ReportStore.TicketSteps> steps = new ArrayList<>();
            for (ReportStore.TicketSteps s : reports.ticketSteps(wanted,
                    range.from(java.time.ZoneOffset.UTC).minus(java.time.Duration.ofDays(1)),
                    range.to(java.time.ZoneOffset.UTC).plus(java.time.Duration.ofDays(1)))) {
                ZoneId zone = dir.zoneOf(s.community());
                if (!s.received().isBefore(range.from(zone)) && s.received().isBefore(range.to(zone))) {
                    steps.add(s);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("period", period);
            out.put("communities", communities);
            out.putAll(TicketTimes.build(steps, by, monitor.rules()));
            // the total is the company's only for a caller who sees every community and asked for all
            out.put("totalScope", communities == null && scope(ctx) == null ? "company" : "selected");
            return out;
        });
    }

    /** Hits per rule (and per community for one rule) over a period; rules that never fired. */
    private void rules(RoutingContext ctx) {
        LocalDate from = date(ctx, "from");
        LocalDate to = date(ctx, "to");
        List<String> communities = list(ctx, "community");
        String rule = param(ctx, "rule");
        int limit = Math.min(integer(ctx, "limit", 50), 500);
        int offset = integer(ctx, "offset", 0);
        blocking(ctx, () -> {
            Directory dir = directory(ctx);
            var hits = reports.hits(from == null ? null : from.atStartOfDay(dir.companyZone()).toInstant(),
                    to == null ? null : to.plusDays(1).atStartOfDay(dir.companyZone()).toInstant(), communities);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("from", from == null ? null : from.toString());
            out.put("to", to == null ? null : to.toString());
            out.put("zone", dir.companyZone().getId());
            out.putAll(RulesView.build(monitor.rules(), hits, r -> reports.firedEver(r, communities), dir, rule, limit, offset));
            return out;
        });
    }

    /** The monthly report (CODE 4.12.1) as JSON (a page of it), CSV or XLSX. */
    private void report(RoutingContext ctx) {
        YearMonth requested = month(ctx, "month");
        String format = param(ctx, "format", "json");
        String lang = Labels.lang(param(ctx, "lang"));
        int limit = Math.min(integer(ctx, "limit", 50), 500);
        int offset = integer(ctx, "offset", 0);
        if (!Set.of("json", "csv", "xlsx").contains(format)) {
            throw new IllegalArgumentException("格式应为 json、csv 或 xlsx / format must be json, csv or xlsx, not " + format);
        }
        ctx.vertx().executeBlocking(() -> {
            Directory dir = directory(ctx);
            String month = (requested != null ? requested : YearMonth.from(dir.asOf().atZone(dir.companyZone())))
                    .toString();
            MonthlyReport report = MonthlyReport.build(month, dir, board, companyParams(), monitor.rules(), reports, scope(ctx));
            if (format.equals("json")) {
                return report.toJson(lang, limit, offset);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (format.equals("csv")) {
                try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
                    report.writeCsv(w, lang);
                }
            } else {
                report.writeXlsx(bytes, lang);
            }
            return new Download("monthly-report-" + month + "-" + lang + "." + format,
                    format.equals("csv") ? "text/csv; charset=utf-8"
                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    bytes.toByteArray());
        }, false).onComplete(ar -> {
            if (ar.succeeded() && ar.result() instanceof Download d) {
                ctx.response().putHeader("Content-Type", d.type())
                        .putHeader("Content-Disposition", "attachment; filename=\"" + d.name() + "\"")
                        .end(Buffer.buffer(d.bytes()));
            } else {
                answer(ctx, ar);
            }
        });
    }

    /** Any table of the page, as the page drew it with its filters ({@link TableExport}), as CSV or XLSX. */
    private void export(RoutingContext ctx) {
        String format = param(ctx, "format", "csv");
        boolean english = Labels.EN.equals(Labels.lang(param(ctx, "lang")));
        if (!Set.of("csv", "xlsx").contains(format)) {
            throw new IllegalArgumentException("格式应为 csv 或 xlsx / format must be csv or xlsx, not " + format);
        }
        TableExport table;
        try {
            table = TableExport.of(Json.parse(ctx.body() == null || ctx.body().asString() == null ? "" : ctx.body().asString()));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("请求内容应为 JSON：{title, filters, headers, rows} / the body must be JSON: {title, filters, headers, rows}");
        }
        ctx.vertx().executeBlocking(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (format.equals("csv")) {
                try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
                    table.writeCsv(w);
                }
            } else {
                table.writeXlsx(bytes, english);
            }
            return new Download(table.fileName(format), format.equals("csv") ? "text/csv; charset=utf-8"
                    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes.toByteArray());
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Download d = ar.result();
                String ascii = d.name().replaceAll("[^A-Za-z0-9.-]", "_");
                ctx.response().putHeader("Content-Type", d.type())
                        .putHeader("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                                + java.net.URLEncoder.encode(d.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                        .end(Buffer.buffer(d.bytes()));
            } else {
                answer(ctx, ar);
            }
        });
    }

    /** The reports the schedule made (company-wide: a token limited to some communities may not read them). */
    private void scheduledReports(RoutingContext ctx) {
        if (!companyOnly(ctx)) {
            return;
        }
        blocking(ctx, () -> {
            List<Map<String, Object>> items = new ArrayList<>();
            ZoneId zone = directory(ctx).companyZone();
            for (ScheduledReportStore.Made m : scheduled == null ? List.<ScheduledReportStore.Made>of() : scheduled.list()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("kind", m.kind());
                r.put("period", m.period());
                r.put("generatedAt", Times.iso(m.generatedAt(), zone));
                r.put("partial", m.partial());
                r.put("dataFrom", Times.iso(m.dataFrom(), zone));
                r.put("recipients", m.recipients());
                r.put("sent", m.sent());
                r.put("href", "/api/dashboard/reports/" + m.kind() + "/" + m.period());
                items.add(r);
            }
            return Map.of("items", items);
        });
    }

    private void scheduledReport(RoutingContext ctx) {
        if (!companyOnly(ctx)) {
            return;
        }
        String kind = ctx.pathParam("kind");
        String period = ctx.pathParam("period");
        ctx.vertx().executeBlocking(() -> {
            byte[] xlsx = scheduled == null ? null : scheduled.xlsx(kind, period);
            if (xlsx == null) {
                throw new NotFound("没有 " + period + " 的" + (kind.equals("weekly") ? "周报" : kind.equals("monthly") ? "月报" : kind + " 报告") + " / no " + kind + " report of " + period);
            }
            return new Download(kind + "-report-" + period + ".xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("Content-Type", ar.result().type())
                        .putHeader("Content-Disposition", "attachment; filename=\"" + ar.result().name() + "\"")
                        .end(Buffer.buffer(ar.result().bytes()));
            } else {
                answer(ctx, ar);
            }
        });
    }

    /** The company's reports cover every community: not for a token limited to some. */
    private static boolean companyOnly(RoutingContext ctx) {
        if (scope(ctx) != null) {
            ApiVerticle.json(ctx, 403, Map.of("error", "定期报告覆盖所有社区；此账号只能看 " + scope(ctx)
                    + " / the scheduled reports cover every community; this token sees only " + scope(ctx)));
            return false;
        }
        return true;
    }

    private record Download(String name, String type, byte[] bytes) {
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Thrown for an unknown community or ticket: answered 404. */
    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** Bad parameters, found before any work starts, are the caller's mistake: 400, not 500. */
    private static Handler<RoutingContext> guard(Handler<RoutingContext> h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            }
        };
    }

    private static void blocking(RoutingContext ctx, Callable<Object> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> answer(ctx, ar));
    }

    private static void answer(RoutingContext ctx, AsyncResult<?> ar) {
        if (ar.succeeded()) {
            ApiVerticle.json(ctx, 200, ar.result());
            return;
        }
        Throwable t = ar.cause();
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NotFound) {
            ApiVerticle.json(ctx, 404, Map.of("error", t.getMessage()));
        } else if (t instanceof IllegalArgumentException) {
            ApiVerticle.json(ctx, 400, Map.of("error", t.getMessage()));
        } else {
            Failures.unavailable(ctx, t);
        }
    }




    private static YearMonth month(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : YearMonth.parse(MonthlyReport.checkMonth(v));
    }

}
