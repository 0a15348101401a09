package pm.monitor.http;

import static pm.monitor.http.Params.time;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import pm.monitor.app.RulesService;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Timestamps;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleInfo;
import pm.monitor.store.AuditStore;
import pm.monitor.store.FindingStore;
import pm.monitor.store.RuleVersionStore;

/** The analysts' endpoints: reload, versions and their audit, roll-back, problems, statistics. */
public final class RulesRoutes implements ApiVerticle.Routes {
    private final Vertx vertx;
    private final RulesService rules;
    private final RuleVersionStore versions;
    private final FindingStore findings;
    private final Monitor monitor;
    private final pm.monitor.app.Backtests backtests;
    private final AuditStore audit;

    public RulesRoutes(Vertx vertx, RulesService rules, RuleVersionStore versions, FindingStore findings, Monitor monitor,
                       pm.monitor.app.Backtests backtests, AuditStore audit) {
        this.backtests = backtests;
        this.audit = audit;
        this.vertx = vertx;
        this.rules = rules;
        this.versions = versions;
        this.findings = findings;
        this.monitor = monitor;
    }

    @Override
    public void mount(Router router) {
        router.post("/api/rules/reload").handler(this::reload);
        router.post("/api/rules/rollback").handler(this::rollback);
        router.get("/api/rules/versions").handler(ctx -> vertx.executeBlocking(() -> versions.list(100), false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        reply(ctx, 200, Map.of("items", ar.result()));
                    } else {
                        Failures.unavailable(ctx, ar.cause());
                    }
                }));
        router.get("/api/rules/problems").handler(ctx -> reply(ctx, 200, Map.of("problems", problems(rules.lastProblems()),
                "lastAttempt", String.valueOf(rules.lastAttempt()), "running", monitor.rules().version())));
        router.get("/api/rules/stats").handler(this::stats);
        router.get("/api/rules/coverage").handler(ctx -> vertx.executeBlocking(() -> {
            java.nio.file.Path dir = monitor.rules().dir();
            return pm.monitor.engine.TestCoverage.report(monitor.rules(), dir.resolve("HANDBOOK-RULES.md"));
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                reply(ctx, 200, ar.result());
            } else {
                Failures.internal(ctx, ar.cause());
            }
        }));
        router.post("/api/backtests").handler(this::startBacktest);
        router.get("/api/backtests/:id").handler(ctx -> {
            var run = backtests.get(ctx.pathParam("id"));
            reply(ctx, run == null ? 404 : 200, run == null ? Map.of("error", "没有这个回测 / no such backtest") : run.view());
        });
        router.delete("/api/backtests/:id").handler(ctx -> {
            boolean found = backtests.cancel(ctx.pathParam("id"));
            reply(ctx, found ? 202 : 404, found ? Map.of("status", "cancelling") : Map.of("error", "没有这个回测 / no such backtest"));
        });
    }

    /**
     * {@code POST /api/backtests {"files": {"parameters.conf": "..."}, "from": T, "to": T,
     * "communities": ["C001"]}} (files laid over the running rules), or {@code "rules": "/server/dir"}.
     */
    @SuppressWarnings("unchecked")
    private void startBacktest(RoutingContext ctx) {
        try {
            io.vertx.core.json.JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("请求内容应为 JSON 对象 / send a JSON object");
            }
            String dir = body.getString("rules");
            Map<String, String> files = new LinkedHashMap<>();
            if (body.getJsonObject("files") != null) {
                body.getJsonObject("files").getMap().forEach((k, v) -> files.put(k, String.valueOf(v)));
            }
            if (dir == null && files.isEmpty()) {
                throw new IllegalArgumentException("请给出要覆盖运行中规则的 \"files\"，或一个 \"rules\" 文件夹 / give \"files\" to lay over the running rules, or a \"rules\" folder");
            }
            List<String> communities = body.getJsonArray("communities") == null ? null
                    : (List<String>) (List<?>) body.getJsonArray("communities").getList();
            // An analyst limited to some communities backtests those only: the result lists
            // findings and KPIs, which are as much another community's data as its findings are.
            var principal = AccessHandler.principal(ctx);
            if (principal.scoped()) {
                if (communities == null) {
                    communities = List.copyOf(new java.util.TreeSet<>(principal.communities()));
                }
                for (String c : communities) {
                    if (!principal.sees(c)) {
                        AccessHandler.forbidden(ctx, principal, c);
                        return;
                    }
                }
            }
            Instant from = body.getString("from") == null ? null : Timestamps.parse(body.getString("from"));
            Instant to = body.getString("to") == null ? null : Timestamps.parse(body.getString("to"));
            var run = backtests.start(dir == null ? null : java.nio.file.Path.of(dir), files, from, to, communities);
            reply(ctx, 202, run.view());
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // not JSON, or a field of the wrong type: the parser's message names its classes
            reply(ctx, 400, Map.of("error", "send {\"files\": {\"name\": \"text\"}, \"from\": TIME, \"to\": TIME, "
                    + "\"communities\": [\"C001\"]} (or \"rules\": a folder on the server)"));
        }
    }

    /**
     * The rules in health: the running version, and — while the folder is refused (a change that
     * did not load, or a start on the last version that loaded) — a warning saying so.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void health(Map<String, Object> health) {
        Map<String, Object> r = rules.health();
        health.put("rules", r);
        if (rules.folderRefused()) {
            List<Object> warnings = health.get("warnings") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("code", "rules.folder-refused");
            w.put("en", "the rules folder has " + r.get("problems") + " problems (GET /api/rules/problems) and was not"
                    + " loaded; the service runs the last version that loaded, " + r.get("version"));
            w.put("zh", "规则文件夹有 " + r.get("problems") + " 个问题（见 GET /api/rules/problems），未加载；服务仍运行上次成功加载的版本 "
                    + r.get("version"));
            warnings.add(w);
            health.put("warnings", warnings);
            health.put("status", "degraded"); // judging on, but not with the folder the analysts changed
        }
    }

    static String actor(RoutingContext ctx) {
        String a = ctx.get("actor");
        return a != null ? a : "api";
    }

    private void reload(RoutingContext ctx) {
        String actor = actor(ctx);
        vertx.executeBlocking(() -> audited(actor, "rules.reload", null, rules.reload(actor, "reload")), false)
                .onComplete(ar -> {
            if (ar.failed()) {
                Failures.internal(ctx, ar.cause());
                return;
            }
            RulesService.Outcome o = ar.result();
            reply(ctx, o.status().equals("refused") ? 422 : 200, outcome(o));
        });
    }

    private void rollback(RoutingContext ctx) {
        String version;
        try {
            version = ctx.body().asJsonObject().getString("version");
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException();
            }
        } catch (RuntimeException e) {
            reply(ctx, 400, Map.of("error", "请发送 {\"version\": \"<GET /api/rules/versions 中的版本>\"} / send {\"version\": \"<a version from GET /api/rules/versions>\"}"));
            return;
        }
        String actor = actor(ctx);
        vertx.executeBlocking(() -> audited(actor, "rules.rollback", version, rules.rollback(version, actor)), false)
                .onComplete(ar -> {
            if (ar.failed()) {
                Failures.internal(ctx, ar.cause());
                return;
            }
            RulesService.Outcome o = ar.result();
            reply(ctx, o.status().equals("live") || o.status().equals("unchanged") ? 200
                    : o.status().equals("unknown") ? 404 : 422, outcome(o));
        });
    }

    /** The audit's row for a reload or roll-back (rules_changes keeps the files and the diff). */
    private RulesService.Outcome audited(String actor, String action, String asked, RulesService.Outcome o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", o.status());
        d.put("changed", o.changed());
        d.put("problems", o.problems().size());
        audit.record(actor, action, asked != null ? asked : o.version(), d);
        return o;
    }

    /** Hits per rule and community over a period; the rules that never fired in it. */
    private void stats(RoutingContext ctx) {
        Instant from;
        Instant to;
        try {
            from = time(ctx, "from");
            to = time(ctx, "to");
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        String community = ctx.request().getParam("community");
        vertx.executeBlocking(() -> {
            Condition c = DSL.field("withdrawn_at").isNull(); // withdrawn by a late event: not a hit
            if (from != null) {
                c = c.and(DSL.field("at").ge(from.atOffset(ZoneOffset.UTC)));
            }
            if (to != null) {
                c = c.and(DSL.field("at").lt(to.atOffset(ZoneOffset.UTC)));
            }
            if (community != null && !community.isBlank()) {
                c = c.and(DSL.field("community").in((Object[]) community.split(",")));
            }
            List<Map<String, Object>> hits = new ArrayList<>();
            TreeSet<String> fired = new TreeSet<>();
            for (var r : findings.dsl().select(DSL.field("rule", String.class), DSL.field("community", String.class),
                            DSL.field("kind", String.class), DSL.count())
                    .from(DSL.table("findings")).where(c).groupBy(DSL.field("rule"), DSL.field("community"), DSL.field("kind"))
                    .orderBy(DSL.field("rule"), DSL.field("community"), DSL.field("kind")).fetch()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", r.value1());
                m.put("community", r.value2());
                m.put("kind", r.value3());
                m.put("hits", r.value4());
                hits.add(m);
                fired.add(r.value1());
            }
            TreeSet<String> never = new TreeSet<>();
            for (RuleInfo r : monitor.rules().rules()) {
                if (!fired.contains(r.id())) {
                    never.add(r.id());
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hits", hits);
            m.put("neverFired", never);
            m.put("slowest", monitor.ruleTimes());
            return m;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                reply(ctx, 200, ar.result());
            } else {
                Failures.unavailable(ctx, ar.cause());
            }
        });
    }

    private static Map<String, Object> outcome(RulesService.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.status());
        m.put("version", o.version());
        m.put("millis", o.millis());
        m.put("changed", o.changed());
        m.put("problems", problems(o.problems()));
        return m;
    }

    static List<Map<String, Object>> problems(List<Problem> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.file());
            m.put("line", p.line());
            m.put("message", p.message());
            out.add(m);
        }
        return out;
    }

    private static void reply(RoutingContext ctx, int status, Object body) {
        ApiVerticle.json(ctx, status, body);
    }

}
