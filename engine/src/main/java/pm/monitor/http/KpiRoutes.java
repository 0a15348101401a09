package pm.monitor.http;

import static pm.monitor.http.Params.date;
import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.list;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Reads.blocking;
import static pm.monitor.http.Reads.guard;
import static pm.monitor.http.Reads.month;
import static pm.monitor.http.Reads.scope;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.engine.Monitor;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiIds;
import pm.monitor.report.Directory;
import pm.monitor.report.Labels;
import pm.monitor.report.Overview;

/**
 * The dashboard's KPI views: the labels, the community directory, the overview of every
 * community's KPIs against their targets, one KPI's trend, and complaints by category. Filtered
 * and paged here, so that the page never holds more than a screenful.
 */
final class KpiRoutes implements ApiVerticle.Routes {
    private final Monitor monitor;
    private final KpiBoard board;
    private final Reads reads;

    KpiRoutes(Monitor monitor, KpiBoard board, Reads reads) {
        this.monitor = monitor;
        this.board = board;
        this.reads = reads;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/dashboard/labels").handler(ctx ->
                ApiVerticle.json(ctx, 200, Labels.all(Labels.lang(ctx.request().getParam("lang")))));
        router.get("/api/dashboard/communities").handler(guard(this::communities));
        router.get("/api/dashboard/overview").handler(guard(this::overview));
        router.get("/api/dashboard/trends").handler(guard(this::trends));
        router.get("/api/dashboard/categories").handler(guard(this::categories));
    }

    private void communities(RoutingContext ctx) {
        blocking(ctx, () -> {
            Directory dir = reads.directory(ctx);
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
        blocking(ctx, () -> new Overview(board, reads.companyParams(), scope(ctx))
                .page(reads.directory(ctx), date, q, under, basis, sort, limit, offset));
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
            Directory dir = reads.directory(ctx);
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
            out.putAll(new Overview(board, reads.companyParams(), scope(ctx)).trend(dir, kpi, periods, communities, 8));
            return out;
        });
    }

    private void categories(RoutingContext ctx) {
        String community = param(ctx, "community", "*");
        int months = Math.max(1, Math.min(integer(ctx, "months", 6), 36));
        YearMonth last = month(ctx, "month");
        blocking(ctx, () -> {
            Directory dir = reads.directory(ctx);
            YearMonth end = last != null ? last : YearMonth.from(dir.asOf().atZone(dir.companyZone()));
            return new Overview(board, reads.companyParams(), scope(ctx)).categories(community, Overview.months(end, months));
        });
    }
}
