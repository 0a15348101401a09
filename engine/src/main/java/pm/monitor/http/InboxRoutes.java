package pm.monitor.http;

import static pm.monitor.http.AlertAnswers.blocking;
import static pm.monitor.http.AlertAnswers.body;
import static pm.monitor.http.AlertAnswers.id;
import static pm.monitor.http.AlertAnswers.str;
import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Params.time;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.access.Principal;
import pm.monitor.alert.Acknowledger;
import pm.monitor.alert.AlertService;
import pm.monitor.alert.Group;
import pm.monitor.alert.Item;
import pm.monitor.http.AlertAnswers.Denied;
import pm.monitor.store.AlertStore;
import pm.monitor.store.AuditStore;
import pm.monitor.store.DeliveryStore;

/**
 * The alerts themselves: the inbox ({@code GET /api/alerts}, paged and filtered), one alert with
 * its findings, escalation path and deliveries, acknowledging as oneself, the live stream per
 * role, and every delivery with its attempts ({@code /api/deliveries}).
 */
final class InboxRoutes implements ApiVerticle.Routes {
    private final AlertService alerts;
    private final AuditStore audit;

    InboxRoutes(AlertService alerts, AuditStore audit) {
        this.alerts = alerts;
        this.audit = audit;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/alerts/stream").handler(this::stream);
        router.get("/api/alerts").handler(this::list);
        router.get("/api/alerts/:id").handler(ctx -> {
            Principal p = AccessHandler.principal(ctx);
            blocking(ctx, () -> {
                Group g = alerts.store().group(ctx.pathParam("id"));
                if (g == null) {
                    return null;
                }
                if (!p.sees(g.community)) {
                    return new Denied(g.community);
                }
                Map<String, Object> m = detail(g);
                m.put("yours", yours(p, g));
                m.put("roles", alerts.acknowledger().rolesOf(g));
                return m;
            });
        });
        router.post("/api/alerts/:id/ack").handler(this::ack);

        router.get("/api/deliveries").handler(this::deliveries);
        router.get("/api/deliveries/:id").handler(ctx -> {
            Long id = id(ctx);
            if (id != null) {
                blocking(ctx, () -> deliveryDetail(id));
            }
        });
    }

    /**
     * {@code GET /api/alerts}: newest first, paged, filtered. {@code mine=true} is the caller's
     * inbox: what was routed or escalated to a role it answers for (its duties; every role for an
     * administrator without duties), in its communities.
     */
    private void list(RoutingContext ctx) {
        AlertStore.Filter f;
        int limit;
        int offset;
        String role = param(ctx, "role");
        if ("true".equals(param(ctx, "mine")) && role == null) {
            Principal p = AccessHandler.principal(ctx);
            java.util.Set<String> mine = alerts.acknowledger().answersFor(p.duties(), p.role() == pm.monitor.access.Role.MANAGER);
            role = mine == null ? null : String.join(",", mine);
        }
        try {
            f = new AlertStore.Filter(param(ctx, "community"), role, param(ctx, "status"),
                    param(ctx, "rule"), time(ctx, "from"), time(ctx, "to"));
            limit = Math.min(integer(ctx, "limit", 100), 1000);
            offset = integer(ctx, "offset", 0);
        } catch (IllegalArgumentException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        Principal caller = AccessHandler.principal(ctx);
        blocking(ctx, () -> {
            List<Group> groups = alerts.store().query(f, limit, offset);
            Map<String, int[]> counts = alerts.store().itemCounts(groups.stream().map(g -> g.id).toList());
            List<Map<String, Object>> items = new ArrayList<>();
            for (Group g : groups) {
                Map<String, Object> m = group(g);
                m.put("yours", yours(caller, g));
                int[] c = counts.getOrDefault(g.id, new int[2]);
                m.put("findings", c[0]);
                m.put("foldedAway", c[1]);
                items.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", alerts.store().count(f));
            m.put("limit", limit);
            m.put("offset", offset);
            m.put("items", items);
            return m;
        });
    }

    private Map<String, Object> detail(Group g) {
        String id = g.id;
        Map<String, Object> m = group(g);
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Item i : alerts.store().items(id)) {
            Map<String, Object> f = new LinkedHashMap<>(i.finding());
            f.put("foldedUnder", i.foldedUnder());
            findings.add(f);
        }
        m.put("findings", findings);
        List<Map<String, Object>> folded = new ArrayList<>();
        alerts.store().foldedUnder(id).forEach(i -> {
            Map<String, Object> f = new LinkedHashMap<>(i.finding());
            f.put("role", i.role());
            f.put("alert", i.alertId());
            folded.add(f);
        });
        m.put("folded", folded);
        List<Map<String, Object>> log = new ArrayList<>();
        alerts.store().log(id).forEach(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("at", e.at().toString());
            x.put("action", e.action());
            x.put("role", e.role());
            x.put("escalation", e.escalation());
            x.put("note", e.note());
            log.add(x);
        });
        m.put("log", log);
        m.put("deliveries", alerts.deliveries().query(new DeliveryStore.Filter(id, null, null, null), 1000, 0)
                .stream().map(InboxRoutes::delivery).toList());
        return m;
    }

    private static Map<String, Object> group(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id);
        m.put("community", g.community);
        m.put("rule", g.rule);
        m.put("kind", g.kind);
        m.put("role", g.role);
        m.put("currentRole", g.currentRole);
        m.put("escalation", g.escalation);
        m.put("emergency", g.emergency);
        m.put("zone", g.zone.getId());
        m.put("status", g.status);
        m.put("openedAt", str(g.openedAt));
        m.put("dueAt", str(g.dueAt));
        m.put("sentAt", str(g.sentAt));
        m.put("ackDue", str(g.ackDue));
        m.put("ackedAt", str(g.ackedAt));
        m.put("ackedBy", g.ackedBy);
        m.put("silenceId", g.silenceId);
        m.put("foldedUnder", g.foldedUnder);
        m.put("resolvedAt", str(g.resolvedAt));
        m.put("fires", g.fires);
        return m;
    }

    /**
     * {@code POST /api/alerts/:id/ack}: the acknowledger is the caller (issue 19.5). A {@code by}
     * naming anyone else is refused; only while the API is open (no token exists, nobody is
     * anyone) does {@code by} name who acknowledges.
     */
    private void ack(RoutingContext ctx) {
        JsonObject b = ctx.body().length() == 0 ? new JsonObject() : body(ctx);
        if (b == null) {
            return;
        }
        Principal p = AccessHandler.principal(ctx);
        String named = b.getString("by") == null || b.getString("by").isBlank() ? null : b.getString("by").trim();
        String by;
        if (p == Principal.OPEN) {
            by = named;
            if (by == null) {
                ApiVerticle.json(ctx, 400, Errors.of("by：必填（确认人）", "by: required (who acknowledges)"));
                return;
            }
        } else {
            by = p.name();
            if (named != null && !named.equals(by)) {
                ApiVerticle.json(ctx, 400, Errors.of(
                        "只能以本人身份确认：确认人是当前登录的 " + by + "，不能填写 " + named,
                        "you acknowledge as yourself: the acknowledger is " + by + ", not " + named));
                return;
            }
        }
        Instant now = alerts.now();
        if (now == null) {
            ApiVerticle.json(ctx, 409, Errors.of("监控时钟尚未开始（还没有事件）", "the monitor's clock has not started (no events yet)"));
            return;
        }
        String id = ctx.pathParam("id");
        Acknowledger acks = alerts.acknowledger();
        java.util.Set<String> roles = acks.answersFor(p.duties(), p.role() == pm.monitor.access.Role.MANAGER);
        ctx.vertx().executeBlocking(() -> {
            Group g = alerts.store().group(id);
            if (g != null && !p.sees(g.community)) {
                return new Denied(g.community);
            }
            Acknowledger.Outcome r = acks.ack(id, by, roles, now);
            if (r.result() == Acknowledger.Result.ACKED) {
                audit.record(p.name(), "alert.ack", id, Map.of("by", by, "community", g.community, "rule", g.rule,
                        "at", now.toString()));
            }
            return r;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Failures.unavailable(ctx, ar.cause());
                return;
            }
            if (ar.result() instanceof Denied d) {
                AccessHandler.forbidden(ctx, p, d.community());
                return;
            }
            Acknowledger.Outcome o = (Acknowledger.Outcome) ar.result();
            switch (o.result()) {
                case ACKED -> ApiVerticle.json(ctx, 200, Map.of("alert", id, "ackedBy", by, "ackedAt", now.toString()));
                case ALREADY -> ApiVerticle.json(ctx, 409, Errors.of("告警 " + id + " 已被确认", "alert " + id + " was acknowledged already"));
                case NOT_YOURS -> ApiVerticle.json(ctx, 403, Errors.of(
                        "告警 " + id + " 发给 " + names(o.roles(), "zh") + "，不在 " + by + " 负责的角色（" + names(roles, "zh") + "）之内",
                        "alert " + id + " is for " + names(o.roles(), "en") + ", not a role " + by + " answers for ("
                                + names(roles, "en") + ")"));
                default -> ApiVerticle.json(ctx, 404, Errors.of("没有告警 " + id, "no alert " + id));
            }
        });
    }

    /**
     * Whether the caller may acknowledge this alert: a manager or an administrator, and the alert
     * was for a role it answers for (what the page offers; the ack route checks again).
     */
    private boolean yours(Principal p, Group g) {
        if (p.role() != pm.monitor.access.Role.ADMIN && p.role() != pm.monitor.access.Role.MANAGER) {
            return false;
        }
        java.util.Set<String> roles = alerts.acknowledger().answersFor(p.duties(), p.role() == pm.monitor.access.Role.MANAGER);
        return roles == null || alerts.acknowledger().rolesOf(g).stream().anyMatch(roles::contains);
    }

    private static String names(java.util.Collection<String> roles, String lang) {
        return roles == null ? "" : String.join(lang.equals("zh") ? "、" : ", ",
                roles.stream().map(r -> pm.monitor.report.Labels.role(r, lang)).toList());
    }

    /** Server-sent events for one role's inbox ({@code role}, {@code community} optional): each message and acknowledgement. */
    private void stream(RoutingContext ctx) {
        String role = param(ctx, "role");
        String community = param(ctx, "community");
        Principal p = AccessHandler.principal(ctx);
        HttpServerResponse res = ctx.response();
        res.setChunked(true);
        res.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        res.putHeader("Cache-Control", "no-cache");
        res.putHeader("X-Accel-Buffering", "no");
        res.write("retry: 2000\n\n");
        Vertx vertx = ctx.vertx();
        MessageConsumer<String> c = vertx.eventBus().consumer(Addresses.ALERTS, msg -> {
            JsonObject m = new JsonObject(msg.body());
            boolean forRole = role == null || role.equals(m.getString("role")) || role.equals(m.getString("routedRole"));
            boolean forCommunity = (community == null || community.equals(m.getString("community")))
                    && p.sees(m.getString("community"));
            if (forRole && forCommunity) {
                res.write("event: " + m.getString("type", "notice") + "\ndata: " + msg.body() + "\n\n");
            }
        });
        long ping = vertx.setPeriodic(15_000, id -> res.write(": ping\n\n"));
        res.closeHandler(v -> {
            c.unregister();
            vertx.cancelTimer(ping);
        });
    }

    private void deliveries(RoutingContext ctx) {
        DeliveryStore.Filter f = new DeliveryStore.Filter(param(ctx, "alert"), param(ctx, "status"),
                param(ctx, "channel"), param(ctx, "role"));
        int limit;
        int offset;
        try {
            limit = Math.min(integer(ctx, "limit", 100), 1000);
            offset = integer(ctx, "offset", 0);
        } catch (IllegalArgumentException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        blocking(ctx, () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", alerts.deliveries().count(f));
            m.put("items", alerts.deliveries().query(f, limit, offset).stream().map(InboxRoutes::delivery).toList());
            return m;
        });
    }

    private Map<String, Object> deliveryDetail(long id) {
        DeliveryStore.Delivery d = alerts.deliveries().get(id);
        if (d == null) {
            return null;
        }
        Map<String, Object> m = delivery(d);
        m.put("payload", d.payload());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (DeliveryStore.Attempt a : alerts.deliveries().attempts(id)) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("attempt", a.attempt());
            x.put("startedAt", a.startedAt().toString());
            x.put("millis", a.millis());
            x.put("ok", a.ok());
            x.put("status", a.statusCode());
            x.put("error", a.error());
            attempts.add(x);
        }
        m.put("attempts", attempts);
        return m;
    }

    private static Map<String, Object> delivery(DeliveryStore.Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("alert", d.alertId());
        m.put("escalation", d.escalation());
        m.put("role", d.role());
        m.put("channel", d.channel());
        m.put("address", d.address());
        m.put("key", d.key());
        m.put("status", d.status());
        m.put("attempts", d.attempts());
        m.put("nextAttemptAt", d.status().equals("pending") ? str(d.nextAttemptAt()) : null);
        m.put("lastError", d.lastError());
        m.put("deliveredAt", str(d.deliveredAt()));
        m.put("createdAt", str(d.createdAt()));
        return m;
    }
}
