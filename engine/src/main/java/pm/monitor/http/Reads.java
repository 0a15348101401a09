package pm.monitor.http;

import static pm.monitor.http.Params.param;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import pm.monitor.engine.Monitor;
import pm.monitor.report.Directory;
import pm.monitor.report.MonthlyReport;
import pm.monitor.rules.Params;
import pm.monitor.store.ReportStore;

/**
 * What the dashboard's read routes ({@link KpiRoutes}, {@link TicketRoutes}, {@link ReportRoutes})
 * share: which communities the caller may see, and how an answer goes out — database work and
 * the engines' answers are waited for on worker threads, never on the event loop; a bad
 * parameter is 400, an unknown community or ticket 404, anything else 503.
 */
final class Reads {
    private final Monitor monitor;
    private final ReportStore reports;
    private final Clock wall;
    private final Directory.Elsewhere elsewhere;

    /** @param elsewhere in a cluster, the communities run on other instances; null on one node */
    Reads(Monitor monitor, ReportStore reports, Clock wall, Directory.Elsewhere elsewhere) {
        this.monitor = monitor;
        this.reports = reports;
        this.wall = wall;
        this.elsewhere = elsewhere;
    }

    /** The communities the caller may see (a limited token: its own). */
    Directory directory(RoutingContext ctx) {
        return Directory.load(monitor, reports, wall, elsewhere).only(scope(ctx));
    }

    /** The company-wide parameters (KPI targets). */
    Params companyParams() {
        return monitor.rules().parameters().forCommunity("*");
    }

    /** The caller's communities, or null for all. */
    static Set<String> scope(RoutingContext ctx) {
        return AccessHandler.principal(ctx).communities();
    }

    /** Thrown for an unknown community or ticket: answered 404. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** A file to download (a report, an exported table). */
    record Download(String name, String type, byte[] bytes) {
    }

    /** Bad parameters, found before any work starts, are the caller's mistake: 400, not 500. */
    static Handler<RoutingContext> guard(Handler<RoutingContext> h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            }
        };
    }

    static void blocking(RoutingContext ctx, Callable<Object> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> answer(ctx, ar));
    }

    static void answer(RoutingContext ctx, AsyncResult<?> ar) {
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

    /**
     * Sends a {@link Download} as an attachment, else answers as {@link #answer} does. The file
     * name is given twice: ASCII for old clients, and UTF-8 (RFC 6266) for a Chinese table title.
     */
    static void download(RoutingContext ctx, AsyncResult<?> ar) {
        if (!(ar.succeeded() && ar.result() instanceof Download d)) {
            answer(ctx, ar);
            return;
        }
        String ascii = d.name().replaceAll("[^A-Za-z0-9.-]", "_");
        ctx.response().putHeader("Content-Type", d.type())
                .putHeader("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(d.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                .end(Buffer.buffer(d.bytes()));
    }

    static YearMonth month(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : YearMonth.parse(MonthlyReport.checkMonth(v));
    }
}
