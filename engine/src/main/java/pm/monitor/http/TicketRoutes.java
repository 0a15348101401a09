package pm.monitor.http;

import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.list;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Params.required;
import static pm.monitor.http.Reads.blocking;
import static pm.monitor.http.Reads.guard;
import static pm.monitor.http.Reads.scope;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.calendar.Times;
import pm.monitor.engine.Monitor;
import pm.monitor.fact.Duty;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.http.Reads.NotFound;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiIds;
import pm.monitor.report.Directory;
import pm.monitor.report.NaturalOrder;
import pm.monitor.report.People;
import pm.monitor.report.PeriodRange;
import pm.monitor.report.TicketTimes;
import pm.monitor.store.EventStore;
import pm.monitor.store.ReportStore;

/**
 * The dashboard's ticket views: from a KPI to the tickets behind it, one ticket's timeline, who
 * answered for what ({@link People}) and how long each step took ({@link TicketTimes}). An
 * engine is only read on its own thread ({@link Monitor#withEngine}).
 */
final class TicketRoutes implements ApiVerticle.Routes {
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
    private final Reads reads;

    TicketRoutes(Monitor monitor, KpiBoard board, EventStore events, ReportStore reports, Reads reads) {
        this.monitor = monitor;
        this.board = board;
        this.events = events;
        this.reports = reports;
        this.reads = reads;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/dashboard/tickets").handler(guard(this::tickets));
        router.get("/api/dashboard/tickets/:community/:ticket").handler(guard(this::timeline));
        router.get("/api/dashboard/people").handler(guard(this::people));
        router.get("/api/dashboard/people/:community/:staff").handler(guard(this::people));
        router.get("/api/dashboard/times").handler(guard(this::times));
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
            Directory dir = reads.directory(ctx);
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
            List<Kpi> value = board.query(Set.of(community), kpi, period, reads.companyParams());
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
            Directory dir = reads.directory(ctx);
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
            Directory dir = reads.directory(ctx);
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
            Directory dir = reads.directory(ctx);
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
}
