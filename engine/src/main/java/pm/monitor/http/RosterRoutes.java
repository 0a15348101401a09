package pm.monitor.http;

import static pm.monitor.http.AlertAnswers.blocking;
import static pm.monitor.http.AlertAnswers.body;
import static pm.monitor.http.AlertAnswers.id;
import static pm.monitor.http.Params.param;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import pm.monitor.alert.AlertService;
import pm.monitor.alert.Formats;
import pm.monitor.alert.Roles;
import pm.monitor.event.CommunityCodes;
import pm.monitor.http.AlertAnswers.Problem;
import pm.monitor.store.AuditStore;
import pm.monitor.store.RosterStore;

/** {@code /api/roster}: who is told of which role's alerts in which community, and how. */
final class RosterRoutes implements ApiVerticle.Routes {
    private final AlertService alerts;
    private final AuditStore audit;
    private final KnownNames known;

    RosterRoutes(AlertService alerts, AuditStore audit, KnownNames known) {
        this.alerts = alerts;
        this.audit = audit;
        this.known = known;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/roster").handler(ctx -> blocking(ctx, () -> Map.of("roles", Roles.NAMES,
                "channels", Formats.CHANNELS,
                "items", alerts.roster().list(param(ctx, "community"), param(ctx, "role")).stream()
                        .map(RosterRoutes::entry).toList())));
        router.post("/api/roster").handler(ctx -> {
            RosterStore.Entry e = rosterEntry(ctx);
            if (e != null) {
                String actor = AccessHandler.principal(ctx).name();
                blocking(ctx, 201, () -> {
                    String problem = known.communityProblem(e.community());
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
                    String problem = known.communityProblem(e.community());
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
    }

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
}
