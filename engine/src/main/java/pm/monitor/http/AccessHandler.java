package pm.monitor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import pm.monitor.access.AccessService;
import pm.monitor.access.AuthFailures;
import pm.monitor.access.Permissions;
import pm.monitor.access.Principal;
import pm.monitor.access.RateLimiter;
import pm.monitor.event.CommunityCodes;

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
        // The path the router matches (double slashes, dot segments, escapes resolved): the route
        // checked is the route that answers. Not in the table: nobody's.
        String path = ctx.normalizedPath();
        Permissions.Route route = Permissions.route(req.method().name(), path);
        if (route == null) {
            ApiVerticle.json(ctx, 404, Errors.of("没有这个接口：" + req.method().name() + " " + path,
                    "no such API route: " + req.method().name() + " " + path));
            return;
        }
        Map<String, Object> badCode = badCommunity(req, route, path);
        if (badCode != null) {
            ApiVerticle.json(ctx, 400, badCode);
            return;
        }
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
                        // as every database failure: 503, Retry-After, the cause in the log under a ref
                        Failures.answer(ctx, 503, "暂时无法核对令牌：数据库不可用 · cannot check the token now: the database "
                                + "is unavailable", ar.cause());
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
        if (limited(ctx, p.limitKey())) {
            return;
        }
        HttpServerRequest req = ctx.request();
        if (!Permissions.allows(route, p.role())) {
            ApiVerticle.json(ctx, 403, Errors.of(whoZh(p) + "（角色 " + p.role().id() + "）无权调用 " + req.method().name() + " "
                    + req.path(), whoEn(p) + " (role " + p.role().id() + ") may not " + req.method().name() + " " + req.path()));
            return;
        }
        if (p.scoped() && route.scope() != Permissions.Scope.NONE) {
            String inPath = Permissions.pathCommunity(route, ctx.normalizedPath());
            if (inPath != null && !p.sees(inPath)) {
                forbidden(ctx, p, inPath);
                return;
            }
            List<String> asked = asked(req);
            if (!asked.isEmpty()) {
                for (String code : asked) {
                    // "*" (where the route gives it a meaning, see badCommunity) asks for the
                    // total, which a limited token gets over its own communities
                    if (!code.equals(CommunityCodes.ALL) && !p.sees(code)) {
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
        String own = Arrays.toString(new TreeSet<>(p.communities()).toArray());
        ApiVerticle.json(ctx, 403, Errors.of(whoZh(p) + " 无权查看社区 " + community + "，只能查看 " + own,
                whoEn(p) + " may not see community " + community + "; it may see " + own));
    }

    /** 用户 li.c001 or 令牌 ops: a person logged in with a password, or a token. */
    static String whoZh(Principal p) {
        return (p.userId() != 0 ? "用户 " : "令牌 ") + p.name();
    }

    static String whoEn(Principal p) {
        return (p.userId() != 0 ? "user " : "token ") + p.name();
    }

    /** Every code asked for in {@code community} parameters (a comma list, or the parameter repeated). */
    private static List<String> asked(HttpServerRequest req) {
        List<String> out = new ArrayList<>();
        for (String v : req.params().getAll("community")) {
            for (String c : v.split(",")) {
                if (!c.isBlank()) {
                    out.add(c.trim());
                }
            }
        }
        return out;
    }

    /**
     * The 400 answer when a {@code community} parameter or path segment is not a community code
     * (README "Access"); {@code *} only where the route gives it a meaning. Checked for every
     * caller, open access included: a code that cannot exist finds nothing legitimately.
     */
    private static Map<String, Object> badCommunity(HttpServerRequest req, Permissions.Route route, String path) {
        String inPath = Permissions.pathCommunity(route, path);
        if (inPath != null && !CommunityCodes.valid(inPath)) {
            return Errors.of(CommunityCodes.problemZh(), CommunityCodes.problemEn(inPath));
        }
        for (String code : asked(req)) {
            if (code.equals(CommunityCodes.ALL)) {
                if (!route.all()) {
                    return Errors.of("此处 community=* 无意义：* 只在 KPI（公司合计）、静默和通知名单中表示所有社区",
                            "community=* means nothing here: * stands for every community only in KPIs (the "
                                    + "company's total), silences and the roster");
                }
            } else if (!CommunityCodes.valid(code)) {
                return Errors.of(CommunityCodes.problemZh(), CommunityCodes.problemEn(code));
            }
        }
        return null;
    }

    private boolean limited(RoutingContext ctx, String key) {
        RateLimiter limiter = access.limiter();
        long wait = limiter.take(key, System.nanoTime());
        if (wait == 0) {
            return false;
        }
        ctx.response().putHeader("Retry-After", String.valueOf(wait));
        ApiVerticle.json(ctx, 429, Map.of("error", "too many requests: the limit is " + limiter.describe()
                + " per " + (key.startsWith("token:") ? "token" : key.startsWith("user:") ? "user" : "address") + "; retry after " + wait + " s"));
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
