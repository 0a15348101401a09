package pm.monitor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import pm.monitor.access.Permissions;

/**
 * The first handler of every {@code /api/*} call: a request that changes something (POST, PUT,
 * PATCH, DELETE) is refused when a browser says it comes from another site (README "Access",
 * cross-site requests). Without it, while access is open (a fresh install), any page the
 * operator visits could create a roster webhook or an admin token with a form or a
 * {@code text/plain} fetch: those need no CORS preflight, and the answer need not be readable.
 *
 * <p>Two checks, as OWASP's CSRF cheat sheet advises for an API without a CSRF token:
 * <ul>
 * <li>The origin: a browser names the page's origin in {@code Origin} on every such request
 * (older ones in {@code Referer} at least), and modern ones say {@code Sec-Fetch-Site}. Another
 * host or port than the request's {@code Host} (or {@code X-Forwarded-Host}, which a page cannot
 * set without a preflight) is 403. Clients that are no browser (curl, the importer, the
 * benchmark) send none of these headers and pass.</li>
 * <li>The body's type: a JSON body must say {@code application/json} (or
 * {@code application/x-ndjson}, {@code …+json}); a form, {@code text/plain} or an untyped body is
 * 415, the kinds a page can send across sites without a preflight. {@code POST /api/events} is
 * the exception: its body is NDJSON whatever it says, since {@code curl --data-binary} says
 * {@code application/x-www-form-urlencoded}; the origin check alone guards it.</li>
 * </ul>
 */
final class SameOrigin implements Handler<RoutingContext> {
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!CHANGING.contains(req.method().name())) {
            ctx.next();
            return;
        }
        String from = crossSite(req);
        if (from != null) {
            ApiVerticle.json(ctx, 403, Errors.of("拒绝跨站请求：请求来自 " + from + "，不是本服务的页面",
                    "cross-site request refused: it comes from " + from + ", not from this service's own pages"));
            return;
        }
        Permissions.Route route = Permissions.route(req.method().name(), ctx.normalizedPath());
        boolean events = route != null && route.path().equals("/api/events");
        if (!events && !jsonOrEmpty(req)) {
            ApiVerticle.json(ctx, 415, Errors.of("请求体须为 JSON，并带 Content-Type: application/json",
                    "send the body as JSON with Content-Type: application/json (a form, text/plain or untyped body "
                            + "is refused: any web page could send one)"));
            return;
        }
        ctx.next();
    }

    /** Where a browser says the request comes from when that is another site; null when it is this one, or no browser. */
    static String crossSite(HttpServerRequest req) {
        String origin = req.getHeader("Origin");
        String source = origin != null ? origin : req.getHeader("Referer");
        if (source != null) {
            // "null": a sandboxed frame, a file, a redirect across sites; never this service's page
            URI uri = source.equals("null") ? null : uri(source);
            if (uri == null || uri.getHost() == null
                    || !(same(uri, req.authority()) || same(uri, forwarded(req.getHeader("X-Forwarded-Host"))))) {
                return uri == null || uri.getHost() == null ? "\"" + abbreviate(source) + "\""
                        : uri.getScheme() + "://" + uri.getRawAuthority();
            }
            return null;
        }
        // Sent by current browsers even where Origin and Referer are left out (referrer policy)
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && (site.equals("cross-site") || site.equals("same-site"))) {
            return "Sec-Fetch-Site: " + site;
        }
        return null;
    }

    private static URI uri(String s) {
        try {
            URI u = URI.create(s.trim());
            return u.getScheme() == null ? null : u;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static HostAndPort forwarded(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String first = header.split(",")[0].trim();
        try {
            return HostAndPort.parseAuthority(first, -1);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the page's origin is this host and port (a missing port is the scheme's). */
    private static boolean same(URI page, HostAndPort self) {
        if (self == null || self.host() == null) {
            return false;
        }
        String scheme = page.getScheme().toLowerCase(Locale.ROOT);
        int dflt = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        int pagePort = page.getPort() >= 0 ? page.getPort() : dflt;
        int selfPort = self.port() >= 0 ? self.port() : dflt;
        return bare(page.getHost()).equalsIgnoreCase(bare(self.host())) && pagePort == selfPort && pagePort >= 0;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** A JSON body, or none (a DELETE, a reload): what a cross-site form or text/plain post cannot be. */
    static boolean jsonOrEmpty(HttpServerRequest req) {
        String type = req.getHeader("Content-Type");
        if (type != null) {
            String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            return media.equals("application/json") || media.equals("application/x-ndjson") || media.endsWith("+json");
        }
        String length = req.getHeader("Content-Length");
        return req.getHeader("Transfer-Encoding") == null && (length == null || length.trim().equals("0"));
    }
}
