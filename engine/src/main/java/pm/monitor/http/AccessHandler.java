package pm.monitor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import pm.monitor.access.AccessService;
import pm.monitor.access.AuthFailures;
import pm.monitor.access.Permissions;
import pm.monitor.access.Principal;
import pm.monitor.access.RateLimiter;

/**
 * The first handler of every {@code /api/*} call: who is calling (a bearer token or the
 * dashboard's session cookie), at what rate, and whether the {@link Permissions} let that role
 * call this route for these communities. It puts the caller in the context ({@link #principal})
 * and its name as {@code actor}, for the audit. A token is never logged, only its name.
 */
final class AccessHandler implements Handler<RoutingContext> {
    static final String COOKIE = "pm_session";
    private static final String PRINCIPAL = "principal";

    private final AccessService access;

    AccessHandler(AccessService access) {
        this.access = access;
    }

    /** The caller of this request; {@link Principal#OPEN} when access is open. */
    static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        return p == null ? Principal.OPEN : p;
    }

    static String bearer(HttpServerRequest req) {
        String h = req.getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    static String session(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        return c == null || c.getValue().isBlank() ? null : c.getValue();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Permissions.Route route = Permissions.route(req.method().name(), req.path());
        String token = bearer(req);
        String session = token == null ? session(ctx) : null;
        if (Permissions.open(route)) {
            // Login and the public routes: limited per remote address (guessing passwords), there is
            // no token to count by.
            if (limited(ctx, "addr:" + remote(req))) {
                return;
            }
            ctx.next();
            return;
        }
        if (!access.enforced() && token == null && session == null) {
            // Open mode (no token exists yet): a fresh install or a trusted network, where bulk
            // clients post without tokens and a limit per address would only answer them 429. The
            // rate is counted per token once tokens exist.
            ctx.next();
            return;
        }
        Principal cached = token != null ? access.cachedToken(token) : session != null ? access.cachedSession(session) : null;
        if (cached != null) {
            admit(ctx, route, cached);
            return;
        }
        if (limited(ctx, "addr:" + remote(req))) {
            return;
        }
        if (token == null && session == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ApiVerticle.json(ctx, 401, Map.of("error", "this API needs a token: send \"Authorization: Bearer <token>\" "
                    + "(or log in to the dashboard with POST /api/login)"));
            return;
        }
        boolean paused = !req.isEnded();
        if (paused) {
            req.pause();
        }
        ctx.vertx().executeBlocking(() -> token != null ? access.lookupToken(token) : access.lookupSession(session),
                false).onComplete(ar -> {
                    if (paused && !req.isEnded()) {
                        req.resume();
                    }
                    if (ar.failed()) {
                        ctx.response().putHeader("Retry-After", "5");
                        ApiVerticle.json(ctx, 503, Map.of("error", "cannot check the token now: the database is unavailable"));
                    } else if (ar.result() != null) {
                        admit(ctx, route, ar.result());
                    } else if (!access.enforced()) {
                        ctx.next(); // open: a stale token or cookie changes nothing
                    } else {
                        audit(ctx, token != null ? AuthFailures.Reason.TOKEN : AuthFailures.Reason.SESSION);
                        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                        ApiVerticle.json(ctx, 401, Map.of("error", token != null
                                ? "unknown or revoked token" : "the session has expired or was ended: log in again"));
                    }
                });
    }

    private void admit(RoutingContext ctx, Permissions.Route route, Principal p) {
        if (limited(ctx, "token:" + p.tokenId())) {
            return;
        }
        HttpServerRequest req = ctx.request();
        if (!Permissions.allows(route, p.role())) {
            ApiVerticle.json(ctx, 403, Map.of("error", "token " + p.name() + " (role " + p.role().id() + ") may not "
                    + req.method().name() + " " + req.path()));
            return;
        }
        if (p.scoped() && route.scope() != Permissions.Scope.NONE) {
            String inPath = Permissions.pathCommunity(route, req.path());
            if (inPath != null && !p.sees(inPath)) {
                forbidden(ctx, p, inPath);
                return;
            }
            String asked = req.getParam("community");
            if (asked != null && !asked.isBlank()) {
                for (String c : asked.split(",")) {
                    String code = c.trim();
                    // "*" asks for the total, which a limited token gets over its own communities
                    if (!code.isEmpty() && !code.equals("*") && !p.sees(code)) {
                        forbidden(ctx, p, code);
                        return;
                    }
                }
            } else if (route.scope() == Permissions.Scope.FILL) {
                req.params().set("community", String.join(",", new TreeSet<>(p.communities())));
            }
        }
        ctx.put(PRINCIPAL, p);
        ctx.put("actor", p.name());
        if (access.useDue(p)) {
            String via = bearer(req) != null ? "token" : "session";
            ctx.vertx().executeBlocking(() -> {
                access.used(p, via);
                return null;
            }, false);
        }
        ctx.next();
    }

    static void forbidden(RoutingContext ctx, Principal p, String community) {
        ApiVerticle.json(ctx, 403, Map.of("error", "token " + p.name() + " may not see community " + community
                + "; it may see " + Arrays.toString(new TreeSet<>(p.communities()).toArray())));
    }

    private boolean limited(RoutingContext ctx, String key) {
        RateLimiter limiter = access.limiter();
        long wait = limiter.take(key, System.nanoTime());
        if (wait == 0) {
            return false;
        }
        ctx.response().putHeader("Retry-After", String.valueOf(wait));
        ApiVerticle.json(ctx, 429, Map.of("error", "too many requests: the limit is " + limiter.describe()
                + " per " + (key.startsWith("token:") ? "token" : "address") + "; retry after " + wait + " s"));
        return true;
    }

    /** A failed authentication, in the audit (bounded there; the row is written off the event loop). */
    private void audit(RoutingContext ctx, AuthFailures.Reason reason) {
        AuthFailures.Row row = access.failures().admit(remote(ctx.request()), reason);
        if (row != null) {
            ctx.vertx().executeBlocking(() -> {
                access.failures().write(row);
                return null;
            }, false);
        }
    }

    static String remote(HttpServerRequest req) {
        return req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress();
    }
}
