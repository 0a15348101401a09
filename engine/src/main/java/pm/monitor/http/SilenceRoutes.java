package pm.monitor.http;

import static pm.monitor.http.AlertAnswers.blocking;
import static pm.monitor.http.AlertAnswers.body;
import static pm.monitor.http.AlertAnswers.id;
import static pm.monitor.http.Params.param;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.access.Principal;
import pm.monitor.alert.AlertService;
import pm.monitor.event.CommunityCodes;
import pm.monitor.event.Timestamps;
import pm.monitor.http.AlertAnswers.Denied;
import pm.monitor.store.AuditStore;
import pm.monitor.store.SilenceStore;

/** {@code /api/silences}: create with a preview of what a silence matches, extend, expire, history. */
final class SilenceRoutes implements ApiVerticle.Routes {
    private final AlertService alerts;
    private final AuditStore audit;
    private final KnownNames known;

    SilenceRoutes(AlertService alerts, AuditStore audit, KnownNames known) {
        this.alerts = alerts;
        this.audit = audit;
        this.known = known;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/silences").handler(ctx -> blocking(ctx, () -> {
            Instant now = alerts.now();
            boolean all = "true".equals(param(ctx, "all"));
            Principal p = AccessHandler.principal(ctx);
            String asked = param(ctx, "community");
            List<Map<String, Object>> items = new ArrayList<>();
            for (SilenceStore.Silence s : alerts.silences().list(all || now == null ? null : now)) {
                // a limited token sees its communities' silences and those of every community ("*")
                if (!(p.sees(s.community()) || s.community().equals("*"))
                        || (asked != null && !asked.equals(s.community()))) {
                    continue;
                }
                Map<String, Object> m = silence(s);
                m.put("active", now != null && s.activeAt(now));
                items.add(m);
            }
            return Map.of("items", items);
        }));
        router.post("/api/silences").handler(this::postSilence);
        router.put("/api/silences/:id").handler(this::extendSilence);
        router.delete("/api/silences/:id").handler(ctx -> {
            Long id = id(ctx);
            Instant now = alerts.now();
            Principal p = AccessHandler.principal(ctx);
            if (id != null) {
                blocking(ctx, () -> {
                    SilenceStore.Silence s = alerts.silences().get(id);
                    if (s == null) {
                        return null;
                    }
                    if (!p.sees(s.community())) {
                        return new Denied(s.community());
                    }
                    if (!alerts.silences().expire(id, now == null ? Instant.EPOCH : now)) {
                        return null;
                    }
                    audit.record(p.name(), "silence.delete", String.valueOf(id),
                            Map.of("community", s.community(), "rule", s.rule()));
                    return silence(alerts.silences().get(id));
                });
            }
        });
    }

    private void postSilence(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        Instant start = alerts.now() == null ? Instant.EPOCH : alerts.now();
        Instant expires;
        try {
            expires = silenceEnd(b, start);
        } catch (IllegalArgumentException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage().replace("group.window", "for")));
            return;
        }
        Principal p = AccessHandler.principal(ctx);
        String community = b.getString("community");
        if (community != null && !community.trim().equals(CommunityCodes.ALL) && !CommunityCodes.valid(community.trim())) {
            ApiVerticle.json(ctx, 400, Map.of("error", "社区代码无效：" + CommunityCodes.problemZh() + " / community: "
                    + CommunityCodes.problemEn(community.trim())));
            return;
        }
        if (community != null && !p.sees(community.trim())) {
            AccessHandler.forbidden(ctx, p, community);
            return;
        }
        String ruleProblem = known.ruleProblem(b.getString("rule"));
        if (ruleProblem != null) {
            ApiVerticle.json(ctx, 400, Map.of("error", ruleProblem));
            return;
        }
        // like an acknowledgement, a silence is by whoever is logged in; a name only while the API is open
        String author = p != Principal.OPEN ? p.name()
                : b.getString("author") != null && !b.getString("author").isBlank() ? b.getString("author") : null;
        ctx.vertx().executeBlocking(() -> {
            String problem = community == null ? null : known.communityProblem(community.trim());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            SilenceStore.Silence s = alerts.silence(community, b.getString("rule"), b.getString("reason"), author,
                    start, expires);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("community", s.community());
            d.put("rule", s.rule());
            d.put("reason", s.reason());
            d.put("author", s.author());
            d.put("expiresAt", s.expiresAt().toString());
            audit.record(p.name(), "silence.create", String.valueOf(s.id()), d);
            return s;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ApiVerticle.json(ctx, 201, silence(ar.result()));
            } else if (ar.cause() instanceof IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            } else {
                Failures.unavailable(ctx, ar.cause());
            }
        });
    }

    /** A silence's end from its body: {@code expiresAt} (a time), or {@code for} (a duration) from {@code from}. */
    private static Instant silenceEnd(JsonObject b, Instant from) {
        if (b.getString("expiresAt") != null) {
            return Timestamps.parse(b.getString("expiresAt"));
        }
        if (b.getString("for") != null) {
            return from.plus(AlertService.duration(b.getString("for")));
        }
        throw new IllegalArgumentException("请给出结束时间（expiresAt）或时长（for，如 2h） / expiresAt (a time) or for (a duration such as 2h) is required");
    }

    /**
     * {@code PUT /api/silences/:id {"for": "2h"}} (from now) or {@code {"expiresAt": ...}}: extends
     * a silence, or brings an ended one back, rather than making another; audited.
     */
    private void extendSilence(RoutingContext ctx) {
        Long id = id(ctx);
        JsonObject b = id == null ? null : body(ctx);
        if (b == null) {
            return;
        }
        Instant now = alerts.now() == null ? Instant.EPOCH : alerts.now();
        Instant until;
        try {
            until = silenceEnd(b, now);
            if (!until.isAfter(now)) {
                throw new IllegalArgumentException("新的结束时间须晚于现在（" + now + "） / the new end must be after now (" + now + ")");
            }
        } catch (IllegalArgumentException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", String.valueOf(e.getMessage()).replace("group.window", "for")));
            return;
        }
        Principal p = AccessHandler.principal(ctx);
        blocking(ctx, () -> {
            SilenceStore.Silence s = alerts.silences().get(id);
            if (s == null) {
                return null;
            }
            if (!p.sees(s.community())) {
                return new Denied(s.community());
            }
            alerts.silences().extend(id, until);
            audit.record(p.name(), "silence.extend", String.valueOf(id),
                    Map.of("community", s.community(), "rule", s.rule(), "expiresAt", until.toString()));
            Map<String, Object> m = silence(alerts.silences().get(id));
            m.put("active", true);
            return m;
        });
    }

    private static Map<String, Object> silence(SilenceStore.Silence s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("community", s.community());
        m.put("rule", s.rule());
        m.put("reason", s.reason());
        m.put("author", s.author());
        m.put("startsAt", s.startsAt().toString());
        m.put("expiresAt", s.expiresAt().toString());
        return m;
    }
}
