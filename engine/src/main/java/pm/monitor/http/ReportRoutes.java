package pm.monitor.http;

import static pm.monitor.http.Params.date;
import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.list;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Reads.blocking;
import static pm.monitor.http.Reads.download;
import static pm.monitor.http.Reads.guard;
import static pm.monitor.http.Reads.month;
import static pm.monitor.http.Reads.scope;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.calendar.Times;
import pm.monitor.engine.Monitor;
import pm.monitor.finding.Json;
import pm.monitor.http.Reads.Download;
import pm.monitor.http.Reads.NotFound;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.report.Directory;
import pm.monitor.report.Labels;
import pm.monitor.report.MonthlyReport;
import pm.monitor.report.RulesView;
import pm.monitor.report.TableExport;
import pm.monitor.store.ReportStore;
import pm.monitor.store.ScheduledReportStore;

/**
 * The quality department's reports: hits per rule, the monthly report (JSON, CSV, XLSX), any
 * table of the page exported, and the reports the schedule made.
 */
final class ReportRoutes implements ApiVerticle.Routes {
    private final Monitor monitor;
    private final KpiBoard board;
    private final ReportStore reports;
    /** The reports the schedule made, or null where there is none. */
    private final ScheduledReportStore scheduled;
    private final Reads reads;

    ReportRoutes(Monitor monitor, KpiBoard board, ReportStore reports, ScheduledReportStore scheduled, Reads reads) {
        this.monitor = monitor;
        this.board = board;
        this.reports = reports;
        this.scheduled = scheduled;
        this.reads = reads;
    }

    @Override
    public void mount(Router router) {
        router.post("/api/dashboard/export").handler(guard(this::export));
        router.get("/api/dashboard/reports").handler(guard(this::scheduledReports));
        router.get("/api/dashboard/reports/:kind/:period").handler(guard(this::scheduledReport));
        router.get("/api/dashboard/rules").handler(guard(this::rules));
        router.get("/api/dashboard/report").handler(guard(this::report));
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
            Directory dir = reads.directory(ctx);
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
            Directory dir = reads.directory(ctx);
            String month = (requested != null ? requested : YearMonth.from(dir.asOf().atZone(dir.companyZone())))
                    .toString();
            MonthlyReport report = MonthlyReport.build(month, dir, board, reads.companyParams(), monitor.rules(), reports, scope(ctx));
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
        }, false).onComplete(ar -> download(ctx, ar));
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
        }, false).onComplete(ar -> download(ctx, ar));
    }

    /** The reports the schedule made (company-wide: a token limited to some communities may not read them). */
    private void scheduledReports(RoutingContext ctx) {
        if (!companyOnly(ctx)) {
            return;
        }
        blocking(ctx, () -> {
            List<Map<String, Object>> items = new ArrayList<>();
            ZoneId zone = reads.directory(ctx).companyZone();
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
        }, false).onComplete(ar -> download(ctx, ar));
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
}
