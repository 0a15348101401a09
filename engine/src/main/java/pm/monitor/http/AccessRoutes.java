package pm.monitor.http;

import static pm.monitor.http.Params.param;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import pm.monitor.access.AccessService;
import pm.monitor.access.Principal;
import pm.monitor.access.Role;
import pm.monitor.store.TokenStore;

/**
 * Logging in to the dashboard ({@code /api/login}, {@code /api/logout}, {@code /api/me}), the
 * tokens ({@code /api/tokens}) and the audit log ({@code /api/audit}). Who may call them is in
 * {@link pm.monitor.access.Permissions}.
 */
public final class AccessRoutes implements ApiVerticle.Routes {
    private final AccessService access;

    public AccessRoutes(AccessService access) {
        this.access = access;
    }

    @Override
    public void mount(Router router) {
        router.post("/api/login").handler(this::login);
        router.post("/api/logout").handler(this::logout);
        router.get("/api/me").handler(ctx -> ApiVerticle.json(ctx, 200, me(AccessHandler.principal(ctx))));
        router.get("/api/tokens").handler(ctx -> {
            Principal p = AccessHandler.principal(ctx);
            ctx.vertx().executeBlocking(() -> {
                // a limited administrator sees the tokens it could have made, not the company's
                List<Map<String, Object>> items = new ArrayList<>();
                access.tokens().list().stream().filter(t -> within(p, t)).forEach(t -> items.add(token(t)));
                return Map.of("items", items);
            }, false).onComplete(ar -> reply(ctx, 200, ar));
        });
        router.post("/api/tokens").handler(this::create);
        router.delete("/api/tokens/:name").handler(ctx -> {
            String name = ctx.pathParam("name");
            Principal p = AccessHandler.principal(ctx);
            ctx.vertx().executeBlocking(() -> {
                TokenStore.Token t = access.tokens().list().stream()
                        .filter(x -> x.name().equals(name) && x.active()).findFirst().orElse(null);
                if (t != null && !within(p, t)) {
                    return null;
                }
                return t != null && access.revoke(name, p.name());
            }, false).onComplete(ar -> {
                if (ar.succeeded() && ar.result() == null) {
                    ApiVerticle.json(ctx, 403, Errors.of("令牌 " + p.name() + " 不能吊销超出自身范围的令牌 " + name,
                            "token " + p.name() + " may not revoke " + name + ", whose role or communities exceed its own"));
                } else if (ar.succeeded() && !ar.result()) {
                    ApiVerticle.json(ctx, 404, Map.of("error", "no active token named " + name));
                } else {
                    reply(ctx, 200, ar.map(v -> Map.of("revoked", name)));
                }
            });
        });
        router.get("/api/audit").handler(ctx -> {
            int limit;
            int offset;
            try {
                limit = Math.min(Integer.parseInt(param(ctx, "limit", "100")), 1000);
                offset = Integer.parseInt(param(ctx, "offset", "0"));
            } catch (NumberFormatException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", "limit and offset are whole numbers"));
                return;
            }
            String action = ctx.request().getParam("action");
            String actor = ctx.request().getParam("actor");
            ctx.vertx().executeBlocking(() -> Map.of("items", access.audit().list(action, actor, limit, offset)), false)
                    .onComplete(ar -> reply(ctx, 200, ar));
        });
    }

    private static Map<String, Object> me(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("displayName", p.displayName());
        m.put("kind", p == Principal.OPEN ? "open" : p.userId() != 0 ? "user" : "token");
        m.put("role", p.role().id());
        m.put("communities", p.communities() == null ? null : new TreeSet<>(p.communities()));
        m.put("duties", p.duties() == null ? null : new TreeSet<>(p.duties()));
        return m;
    }

    /**
     * {@code POST /api/login}: a session cookie for the dashboard (HttpOnly, so the page never
     * holds a secret), opened with {@code {"user", "password"}} (a person) or {@code {"token"}}
     * (an API token pasted in). A wrong password and an unknown user get the same answer, after
     * the same bcrypt work.
     */
    private void login(RoutingContext ctx) {
        JsonObject b;
        try {
            b = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            b = null;
        }
        String token = b == null ? null : string(b, "token");
        String user = b == null ? null : string(b, "user");
        String password = b == null ? null : string(b, "password");
        boolean byPassword = user != null && !user.isBlank();
        if (!byPassword && (token == null || token.isBlank())) {
            ApiVerticle.json(ctx, 400, Errors.of("请提供用户名和密码：{\"user\": …, \"password\": …}（或 API 令牌：{\"token\": …}）",
                    "send {\"user\": ..., \"password\": ...} (or an API token: {\"token\": ...})"));
            return;
        }
        String remote = AccessHandler.remote(ctx.request());
        ctx.vertx().executeBlocking(() -> {
            if (byPassword) {
                return access.login(user, password == null ? "" : password, remote);
            }
            String session = access.login(token.trim());
            if (session == null) {
                access.failures().record(remote, pm.monitor.access.AuthFailures.Reason.LOGIN);
                return null;
            }
            return new AccessService.Login(session, access.lookupSession(session));
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                reply(ctx, 200, ar);
            } else if (ar.result() == null) {
                ApiVerticle.json(ctx, 401, byPassword
                        ? Errors.of("用户名或密码错误", "wrong user name or password")
                        : Errors.of("令牌未知或已撤销", "unknown or revoked token"));
            } else {
                ctx.response().addCookie(Cookie.cookie(AccessHandler.COOKIE, ar.result().session()).setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setPath("/")
                        .setMaxAge(access.sessionLimits().absolute().toSeconds()));
                ApiVerticle.json(ctx, 200, me(ar.result().principal()));
            }
        });
    }

    /** A string field, or null when it is missing or not a string. */
    private static String string(JsonObject b, String key) {
        Object v = b.getValue(key);
        return v instanceof String s ? s : null;
    }

    private void logout(RoutingContext ctx) {
        String session = AccessHandler.session(ctx);
        ctx.response().addCookie(Cookie.cookie(AccessHandler.COOKIE, "").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setPath("/").setMaxAge(0));
        if (session == null) {
            ApiVerticle.json(ctx, 200, Map.of("loggedOut", false));
            return;
        }
        ctx.vertx().executeBlocking(() -> {
            Principal p = access.lookupSession(session);
            if (p != null) {
                access.logout(session, p);
            }
            return Map.of("loggedOut", p != null);
        }, false).onComplete(ar -> reply(ctx, 200, ar));
    }

    /** {@code POST /api/tokens {"name", "role", "communities": ["C001"]}}: the token is in the answer, once. */
    private void create(RoutingContext ctx) {
        JsonObject b;
        try {
            b = ctx.body().asJsonObject();
            if (b == null) {
                throw new IllegalArgumentException("empty body");
            }
        } catch (RuntimeException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", "send {\"name\": ..., \"role\": ..., \"communities\": [...]}: "
                    + e.getMessage()));
            return;
        }
        Role role;
        List<String> communities = null;
        List<String> duties = null;
        try {
            role = Role.of(b.getString("role"));
            Object d = b.getValue("duties");
            if (d instanceof JsonArray a) {
                duties = new ArrayList<>();
                for (Object x : a) {
                    duties.add(String.valueOf(x).trim());
                }
            } else if (d instanceof String s && !s.isBlank()) {
                duties = List.of(s.split("\\s*,\\s*"));
            } else if (d != null) {
                throw new IllegalArgumentException("duties: a list of handbook roles (supervisor, centre_manager, ...)");
            }
            Object c = b.getValue("communities");
            if (c instanceof JsonArray a) {
                communities = new ArrayList<>();
                for (Object x : a) {
                    communities.add(String.valueOf(x).trim());
                }
            } else if (c instanceof String s && !s.isBlank()) {
                communities = List.of(s.split("\\s*,\\s*"));
            } else if (c != null) {
                throw new IllegalArgumentException("communities: a list of community codes");
            }
        } catch (RuntimeException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
            return;
        }
        String name = b.getString("name");
        Principal caller = AccessHandler.principal(ctx);
        String by = caller.name();
        if (!caller.grants(role, communities)) {
            // no token wider than its maker: else a limited administrator mints an unlimited one
            String own = caller.communities() == null ? "all" : String.join(",", new TreeSet<>(caller.communities()));
            ApiVerticle.json(ctx, 403, Errors.of(
                    "令牌 " + by + "（角色 " + caller.role().id() + "，社区 " + own + "）只能创建角色和社区范围不超出自身的令牌",
                    "token " + by + " (role " + caller.role().id() + ", communities " + own + ") may only create tokens "
                            + "within its own role and communities"));
            return;
        }
        List<String> scope = communities;
        List<String> answers = duties;
        ctx.vertx().executeBlocking(() -> access.create(name, role, scope, answers, by), false).onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
                return;
            }
            reply(ctx, 201, ar.map(token -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                m.put("role", role.id());
                m.put("communities", scope);
                m.put("duties", answers);
                m.put("token", token);
                m.put("note", "the token is shown this once; only its hash is stored");
                return m;
            }));
        });
    }

    /** Whether {@code p} could have made token {@code t}: what it may list and revoke. */
    private static boolean within(Principal p, TokenStore.Token t) {
        try {
            return p.grants(Role.of(t.role()), t.communities());
        } catch (IllegalArgumentException e) {
            return !p.scoped(); // a role no longer known: the unlimited administrators' to clean up
        }
    }

    private static Map<String, Object> token(TokenStore.Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("role", t.role());
        m.put("communities", t.communities() == null ? null : new TreeSet<>(t.communities()));
        m.put("duties", t.duties() == null ? null : new TreeSet<>(t.duties()));
        m.put("createdBy", t.createdBy());
        m.put("createdAt", str(t.createdAt()));
        m.put("lastUsedAt", str(t.lastUsedAt()));
        m.put("revokedAt", str(t.revokedAt()));
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static void reply(RoutingContext ctx, int status, io.vertx.core.AsyncResult<?> ar) {
        if (ar.succeeded()) {
            ApiVerticle.json(ctx, status, ar.result());
        } else {
            Failures.unavailable(ctx, ar.cause());
        }
    }
}
