package pm.monitor.http;

import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Params.time;

import io.vertx.core.AsyncResult;
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
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.alert.AlertParameters;
import pm.monitor.alert.AlertService;
import pm.monitor.alert.Acknowledger;
import pm.monitor.alert.Formats;
import pm.monitor.alert.Group;
import pm.monitor.alert.Item;
import pm.monitor.alert.Roles;
import pm.monitor.event.CommunityCodes;
import pm.monitor.event.Timestamps;
import pm.monitor.access.Principal;
import pm.monitor.store.AlertStore;
import pm.monitor.store.AuditStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.RosterStore;
import pm.monitor.store.SilenceStore;

/**
 * The alerts' HTTP API: the roster ({@code /api/roster}), the alerts and their
 * acknowledgement ({@code /api/alerts}, with a live stream per role), silences
 * ({@code /api/silences}) and every delivery with its attempts ({@code /api/deliveries}).
 * Database work runs as blocking tasks, off the event loop.
 */
public final class AlertRoutes implements ApiVerticle.Routes {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);

    private final AlertService alerts;
    private final AuditStore audit;
    /** What a silence or a roster entry may name (issue 19.7): the loaded rules' ids and the communities the monitor has seen. */
    private final java.util.function.Supplier<java.util.Set<String>> ruleIds;
    private final java.util.function.Supplier<java.util.Set<String>> communities;

    public AlertRoutes(AlertService alerts, AuditStore audit, java.util.function.Supplier<java.util.Set<String>> ruleIds,
                       java.util.function.Supplier<java.util.Set<String>> communities) {
        this.alerts = alerts;
        this.audit = audit;
        this.ruleIds = ruleIds;
        this.communities = communities;
    }

    /** Why a silence's rule matches nothing (a misspelt id silences nothing, silently), or null. */
    private String ruleProblem(String rule) {
        if (rule == null || rule.isBlank() || rule.equals("*")) {
            return null;
        }
        java.util.Set<String> ids = ruleIds.get();
        boolean matches = rule.endsWith("*") ? ids.stream().anyMatch(id -> id.startsWith(rule.substring(0, rule.length() - 1)))
                : ids.contains(rule);
        return matches ? null : "规则“" + rule + "”不对应任何已加载的规则（* 表示全部，complaint.* 表示前缀） / rule: \"" + rule
                + "\" matches no loaded rule (e.g. " + String.join(", ",
                ids.stream().sorted().limit(3).toList()) + "; * for any, complaint.* for a prefix)";
    }

    /**
     * Why a community code names no community the monitor knows, or null ("*" is every community).
     * Before the first event the monitor knows none, and a roster may be set up ahead of them.
     */
    private String communityProblem(String community) {
        if (community == null || community.equals(CommunityCodes.ALL)) {
            return null;
        }
        java.util.Set<String> known = communities.get();
        return known.isEmpty() || known.contains(community) ? null
                : "社区 " + community + " 不是本系统已知的社区 / community: " + community + " is not a community the monitor knows ("
                        + String.join(", ", known.stream().sorted().limit(5).toList()) + (known.size() > 5 ? ", …" : "") + ")";
    }

    @Override
    public void mount(Router router) {
        router.get("/api/roster").handler(ctx -> blocking(ctx, () -> Map.of("roles", Roles.NAMES,
                "channels", Formats.CHANNELS,
                "items", alerts.roster().list(param(ctx, "community"), param(ctx, "role")).stream()
                        .map(AlertRoutes::entry).toList())));
        router.post("/api/roster").handler(ctx -> {
            RosterStore.Entry e = rosterEntry(ctx);
            if (e != null) {
                String actor = AccessHandler.principal(ctx).name();
                blocking(ctx, 201, () -> {
                    String problem = communityProblem(e.community());
                    if (problem != null) {
                        return new Problem(problem);
                    }
                    long id = alerts.roster().insert(e);
                    audit.record(actor, "roster.create", String.valueOf(id), rosterDetails(e));
                    return entry(alerts.roster().get(id));
                });
            }
        });
        router.put("/api/roster/:id").handler(ctx -> {
            Long id = id(ctx);
            RosterStore.Entry e = id == null ? null : rosterEntry(ctx);
            if (e != null) {
                String actor = AccessHandler.principal(ctx).name();
                blocking(ctx, () -> {
                    String problem = communityProblem(e.community());
                    if (problem != null) {
                        return new Problem(problem);
                    }
                    if (!alerts.roster().update(id, e)) {
                        return null;
                    }
                    audit.record(actor, "roster.update", String.valueOf(id), rosterDetails(e));
                    return entry(alerts.roster().get(id));
                });
            }
        });
        router.delete("/api/roster/:id").handler(ctx -> {
            Long id = id(ctx);
            if (id != null) {
                String actor = AccessHandler.principal(ctx).name();
                blocking(ctx, () -> {
                    if (!alerts.roster().delete(id)) {
                        return null;
                    }
                    audit.record(actor, "roster.delete", String.valueOf(id), null);
                    return Map.of("deleted", id);
                });
            }
        });

        router.get("/api/alerts/stream").handler(this::stream);
        router.get("/api/alerts/settings").handler(ctx -> blocking(ctx, this::settings));
        router.put("/api/alerts/settings").handler(this::putSettings);
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

        router.get("/api/deliveries").handler(this::deliveries);
        router.get("/api/deliveries/:id").handler(ctx -> {
            Long id = id(ctx);
            if (id != null) {
                blocking(ctx, () -> deliveryDetail(id));
            }
        });
    }

    // ---- roster -------------------------------------------------------------------------------

    private static RosterStore.Entry rosterEntry(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return null;
        }
        String community = b.getString("community");
        String role = b.getString("role");
        String name = b.getString("name");
        String channel = b.getString("channel");
        String address = b.getString("address");
        String problem = null;
        if (community == null || community.isBlank()) {
            problem = "社区：必填（社区代码，* 表示所有社区） / community: required (a community code, or * for every community)";
        } else if (!community.trim().equals(CommunityCodes.ALL) && !CommunityCodes.valid(community.trim())) {
            problem = "社区代码无效：" + CommunityCodes.problemZh() + " / community: " + CommunityCodes.problemEn(community.trim());
        } else if (!Roles.known(role)) {
            problem = "角色“" + role + "”不存在，应为：" + Roles.ALL + " / role: \"" + role + "\" is not one of " + Roles.ALL;
        } else if (name == null || name.isBlank()) {
            problem = "姓名：必填 / name: required";
        } else if (!Formats.CHANNELS.contains(channel)) {
            problem = "渠道“" + channel + "”不存在，应为：" + Formats.CHANNELS + " / channel: \"" + channel + "\" is not one of " + Formats.CHANNELS;
        } else if (address == null || address.isBlank()) {
            problem = "地址：必填（电子邮箱或 webhook 网址） / address: required (an e-mail address or a webhook URL)";
        } else if (channel.equals("email") && !address.trim().matches("[^@\\s/:]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            problem = "“" + address + "”不是电子邮箱地址 / address: \"" + address + "\" is not an e-mail address";
        } else if (!channel.equals("email") && !address.matches("https?://\\S+")) {
            problem = channel + " 的地址应为 http(s) 网址，而不是“" + address + "” / address: a " + channel + " destination is an http(s) URL, not \"" + address + "\"";
        } else if (b.getString("mentions") != null && !b.getString("mentions").isBlank()
                && !b.getString("mentions").trim().matches("1\\d{10}(\\s*,\\s*1\\d{10})*")) {
            problem = "@提醒：应为 11 位手机号，多个用逗号分隔，而不是“" + b.getString("mentions") + "” / mentions: mobile numbers (11 digits, comma-separated) to @-mention, not \"" + b.getString("mentions") + "\"";
        } else if (b.getString("mentions") != null && !b.getString("mentions").isBlank()
                && !channel.equals("wecom") && !channel.equals("dingtalk")) {
            problem = "只有企业微信或钉钉机器人能 @提醒，" + channel + " 不能 / mentions: only a wecom or dingtalk robot @-mentions people, not " + channel;
        }
        if (problem != null) {
            ApiVerticle.json(ctx, 400, Map.of("error", problem));
            return null;
        }
        String mentions = b.getString("mentions");
        return new RosterStore.Entry(0, community.trim(), role, name.trim(), channel, address.trim(),
                b.getString("secret"), b.getBoolean("active", true), b.getString("by"), null,
                mentions == null || mentions.isBlank() ? null : mentions.trim());
    }

    private static Map<String, Object> entry(RosterStore.Entry e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("community", e.community());
        m.put("role", e.role());
        m.put("roleName", Roles.name(e.role()));
        m.put("name", e.name());
        m.put("channel", e.channel());
        m.put("address", e.address());
        // The signing secret is write-only: the API says whether there is one, never what it is.
        m.put("secret", e.secret() == null || e.secret().isBlank() ? null : "***");
        m.put("mentions", e.mentions());
        m.put("active", e.active());
        m.put("updatedBy", e.updatedBy());
        m.put("updatedAt", e.updatedAt() == null ? null : e.updatedAt().toString());
        return m;
    }

    // ---- alerts -------------------------------------------------------------------------------

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
                .stream().map(AlertRoutes::delivery).toList());
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
                unavailable(ctx, ar.cause());
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

    private Map<String, Object> settings() {
        Map<String, String> overrides = alerts.store().settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("effective", AlertParameters.of(overrides).values());
        m.put("overrides", overrides);
        // what "restore the default" gives, for the settings screen
        m.put("defaults", AlertParameters.DEFAULTS);
        return m;
    }

    /** {@code PUT /api/alerts/settings {"group.window": "10min", "by": "..."}}; an empty value restores the default. */
    private void putSettings(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String by = b.getString("by");
        Map<String, String> changes = new LinkedHashMap<>();
        for (String key : b.fieldNames()) {
            if (key.equals("by")) {
                continue;
            }
            Object v = b.getValue(key);
            String value = v == null ? "" : String.valueOf(v);
            try {
                if (!value.isEmpty() || !AlertParameters.DEFAULTS.containsKey(key)) {
                    AlertParameters.validate(key, value);
                }
            } catch (IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
                return;
            }
            changes.put(key, value);
        }
        String actor = AccessHandler.principal(ctx).name();
        blocking(ctx, () -> {
            audit.record(actor, "alerts.settings", null, changes);
            changes.forEach((k, v) -> {
                if (v.isEmpty()) {
                    alerts.store().removeSetting(k);
                } else {
                    alerts.store().putSetting(k, v, by);
                }
            });
            return settings();
        });
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

    // ---- silences -----------------------------------------------------------------------------

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
        String ruleProblem = ruleProblem(b.getString("rule"));
        if (ruleProblem != null) {
            ApiVerticle.json(ctx, 400, Map.of("error", ruleProblem));
            return;
        }
        // like an acknowledgement, a silence is by whoever is logged in; a name only while the API is open
        String author = p != Principal.OPEN ? p.name()
                : b.getString("author") != null && !b.getString("author").isBlank() ? b.getString("author") : null;
        ctx.vertx().executeBlocking(() -> {
            String problem = community == null ? null : communityProblem(community.trim());
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
                unavailable(ctx, ar.cause());
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

    // ---- deliveries ---------------------------------------------------------------------------

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
            m.put("items", alerts.deliveries().query(f, limit, offset).stream().map(AlertRoutes::delivery).toList());
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

    // ---- helpers ------------------------------------------------------------------------------

    /** The request names something that does not exist: answered 400 with this message. */
    private record Problem(String message) {
    }

    /** The object asked for belongs to a community the caller may not see: answered 403. */
    private record Denied(String community) {
    }

    private static Map<String, Object> rosterDetails(RosterStore.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("community", e.community());
        m.put("role", e.role());
        m.put("name", e.name());
        m.put("channel", e.channel());
        // the address says where alerts go; a signing secret never enters the audit
        m.put("address", e.address());
        return m;
    }

    private static void blocking(RoutingContext ctx, Callable<Object> work) {
        blocking(ctx, 200, work);
    }

    /** Runs {@code work} off the event loop; null means 404. */
    private static void blocking(RoutingContext ctx, int status, Callable<Object> work) {
        ctx.vertx().executeBlocking(work, false).onComplete((AsyncResult<Object> ar) -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
            } else if (ar.result() == null) {
                ApiVerticle.json(ctx, 404, Map.of("error", "未找到：" + ctx.request().path() + " / not found: " + ctx.request().path()));
            } else if (ar.result() instanceof Denied d) {
                AccessHandler.forbidden(ctx, AccessHandler.principal(ctx), d.community());
            } else if (ar.result() instanceof Problem p) {
                ApiVerticle.json(ctx, 400, Map.of("error", p.message()));
            } else {
                ApiVerticle.json(ctx, status, ar.result());
            }
        });
    }

    private static void unavailable(RoutingContext ctx, Throwable cause) {
        Failures.unavailable(ctx, cause);
    }

    private static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject b = ctx.body().asJsonObject();
            if (b == null) {
                throw new IllegalArgumentException("empty body");
            }
            return b;
        } catch (RuntimeException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", "请求内容应为 JSON 对象 / send a JSON object: " + e.getMessage()));
            return null;
        }
    }

    private static Long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", "编号应为数字，而不是“" + ctx.pathParam("id") + "” / id must be a number, not \""
                    + ctx.pathParam("id") + "\""));
            return null;
        }
    }



    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
