package pm.monitor.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer, set first so that no page or route can go without them: the pages
 * run only their own scripts and cannot be framed (clickjacking), nothing is sniffed into
 * another type, and API answers — findings, tokens at creation, the audit — are never kept by a
 * browser or a proxy cache. A handler may still replace one (the live streams say
 * {@code no-cache}).
 */
final class SecurityHeaders implements Handler<RoutingContext> {
    /**
     * The pages run only their own scripts (JS modules, the vendored ECharts) and talk only to
     * this server; together with building every element from text, free text from events
     * cannot become markup. ECharts sets inline styles, hence style-src 'unsafe-inline'.
     */
    static final String PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    /** JSON, CSV and XLSX: nothing in them may load or run anything, or be framed. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        String path = ctx.normalizedPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            h.set("Cache-Control", "no-store");
            h.set("Content-Security-Policy", API_CSP);
        } else {
            h.set("Content-Security-Policy", PAGE_CSP);
        }
        ctx.next();
    }
}
