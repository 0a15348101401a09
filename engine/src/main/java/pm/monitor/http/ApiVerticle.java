package pm.monitor.http;

import static pm.monitor.http.Params.integer;
import static pm.monitor.http.Params.list;
import static pm.monitor.http.Params.param;
import static pm.monitor.http.Params.time;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.access.AccessService;
import pm.monitor.app.Config;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.event.Timestamps;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.rules.RuleInfo;
import pm.monitor.store.EventStore;
import pm.monitor.store.FindingStore;

/**
 * The HTTP API of CONTRACT.md and the dashboard's files. Handlers never block the event loop:
 * parsing and database work run as blocking tasks, engines on their own threads.
 */
public final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    /** The routing context's key for the request's {@link Ingest#arriving} release. */
    private static final String ARRIVING = "ingest.arriving";

    private final Config config;
    private final pm.monitor.engine.Intake ingest;
    private final Monitor monitor;
    private final EventStore events;
    private final FindingStore findings;
    private final KpiBoard board;
    private final BiFunction<Instant, Boolean, CompletableFuture<Void>> clock;
    private final List<Routes> modules;
    private final AccessService access;
    private final pm.monitor.app.Metrics metrics;
    private HttpServer server;
    private Router router;

    /** More routes, mounted by the parts that own them (dashboard, alerts, rules…). */
    public interface Routes {
        void mount(Router router);

        /** Adds what this part has to say to {@code GET /api/health}: from memory, never blocking. */
        default void health(Map<String, Object> health) {
        }
    }

    static final String HEAP_FULL = "内存将满，暂停接收事件，本请求未存储任何内容，请稍后重发 · "
            + "memory is nearly full: ingest is paused, nothing of this request was stored; retry shortly";
    private final pm.monitor.app.HeapGuard heap;

    public ApiVerticle(Config config, pm.monitor.engine.Intake ingest, Monitor monitor, EventStore events, FindingStore findings,
                       KpiBoard board, BiFunction<Instant, Boolean, CompletableFuture<Void>> clock,
                       List<Routes> modules, AccessService access, pm.monitor.app.Metrics metrics,
                       pm.monitor.app.HeapGuard heap) {
        this.heap = heap;
        this.metrics = metrics;
        this.modules = modules;
        this.access = access;
        this.config = config;
        this.ingest = ingest;
        this.monitor = monitor;
        this.events = events;
        this.findings = findings;
        this.board = board;
        this.clock = clock;
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * The endpoints the router serves, as {@code METHOD /path} with OpenAPI's {@code {param}}
     * path parameters: what docs/openapi.json must describe (OpenApiTest).
     */
    public java.util.SortedSet<String> endpoints() {
        java.util.SortedSet<String> out = new TreeSet<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null || r.methods().isEmpty() || r.getPath().endsWith("*")) {
                continue; // handlers for every route (headers, access, bodies, the dashboard's files)
            }
            for (io.vertx.core.http.HttpMethod m : r.methods()) {
                out.add(m.name() + " " + r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
            }
        }
        return out;
    }

    @Override
    public Future<?> start() {
        router = Router.router(vertx);
        router.route().handler(new SecurityHeaders());
        router.route().handler(Compression.streamsUncompressed());
        // Who calls, how often and whether they may: before the body is read, so that a caller
        // without a token or over its rate costs no upload.
        router.route("/api/*").handler(new AccessHandler(access));
        // No change from another site's page (SameOrigin): an open install has no token to stop it.
        router.route("/api/*").handler(new SameOrigin());
        // Events are NDJSON whatever the sender's Content-Type says (curl says form-urlencoded):
        // the body is never parsed as a form.
        router.post("/api/events").handler(ctx -> {
            if (heap.full()) {
                metrics.ingestShed();
                // Shed load while there is room to answer (issue 17.16): before the body is read,
                // so a refused request costs nothing; the sender retries after Retry-After.
                Failures.answer(ctx, 503, HEAP_FULL + " (" + heap.percentUsed() + "% ≥ " + heap.limitPercent() + "%)", null);
                return;
            }
            ctx.request().headers().remove("Content-Type");
            // On its way from here (before its body is read) until it is submitted: an event of
            // another request about a ticket whose receipt may be in this one waits for it.
            Runnable arrived = ingest.arriving();
            ctx.put(ARRIVING, arrived);
            ctx.addEndHandler(v -> arrived.run());
            ctx.next();
        });
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(config.maxBodyBytes())
                .setHandleFileUploads(false));
        router.post("/api/events").handler(this::postEvents);
        router.get("/api/findings").handler(this::getFindings);
        router.get("/api/kpis").handler(this::getKpis);
        router.get("/api/stream").handler(this::stream);
        router.get("/api/rules").handler(this::getRules);
        router.get("/api/health").handler(this::health);
        router.get("/api/health/live").handler(ctx -> json(ctx, 200, Map.of("status", "ok")));
        router.get("/api/health/ready").handler(this::ready);
        router.get("/api/openapi.json").handler(this::openApi);
        router.post("/api/clock").handler(this::postClock);
        // Prometheus's scrape: an admin token, or no token while access is open (Permissions)
        router.get("/metrics").handler(new AccessHandler(access)).handler(this::metrics);
        for (Routes m : modules) {
            m.mount(router);
        }
        // An /api path the access table knows but no handler answered (none today: OpenApiTest
        // holds the two together) is a JSON 404 as well, never the dashboard's file handler's page.
        router.route("/api/*").handler(ctx -> json(ctx, 404, Errors.of("没有这个接口：" + ctx.request().method().name()
                + " " + ctx.normalizedPath(), "no such API route: " + ctx.request().method().name() + " "
                + ctx.normalizedPath())));
        // The dashboard's files are revalidated on every visit (max-age 0 with Last-Modified): a
        // phone gets 304 Not Modified instead of the 1.2 MB again (issue 19.8), and still sees a
        // new release at once (a day's max-age would keep the old scripts after an upgrade).
        router.route("/*").handler(StaticHandler.create(FileSystemAccess.ROOT,
                config.dashboardDir().toAbsolutePath().normalize().toString()).setCachingEnabled(true)
                .setMaxAgeSeconds(0));
        router.route("/api/*").failureHandler(this::failure);
        router.route("/metrics").failureHandler(this::failure);
        server = vertx.createHttpServer(Compression.options());
        return server.requestHandler(router).listen(config.port());
    }

    // ---- ingest -------------------------------------------------------------------------------

    private void postEvents(RoutingContext ctx) {
        String body = ctx.body().asString("UTF-8");
        if (body == null || body.isBlank()) {
            json(ctx, 400, Map.of("error", "请求内容为空：请以 NDJSON（每行一个 JSON 对象）或 JSON 数组发送事件 / empty body: send events as NDJSON (one JSON object per line) or a JSON array"));
            return;
        }
        int maxLine = config.maxLineBytes();
        Set<String> scope = AccessHandler.principal(ctx).communities();
        Runnable arrived = ctx.get(ARRIVING);
        vertx.executeBlocking(() -> parse(body, maxLine).within(scope), false).compose(parsed -> {
            CompletableFuture<Ingest.Outcome> submitted = ingest.submit(parsed.items, parsed.rejected);
            if (arrived != null) {
                arrived.run(); // after the submit: its events are in the queue, where a waiting event finds them
            }
            return Future.fromCompletionStage(submitted, vertx.getOrCreateContext());
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                Ingest.Outcome o = ar.result();
                metrics.ingested(o);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("accepted", o.accepted());
                m.put("duplicates", o.duplicates());
                List<Map<String, Object>> rejected = new ArrayList<>();
                for (Rejection r : o.rejected()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("line", r.line());
                    x.put("index", r.index());
                    x.put("id", r.id());
                    x.put("field", r.field());
                    x.put("reason", r.reason());
                    rejected.add(x);
                }
                m.put("rejected", rejected);
                List<Map<String, Object>> late = new ArrayList<>();
                for (Monitor.Late l : o.late()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("id", l.id());
                    x.put("community", l.community());
                    x.put("lateBy", l.lateBy().toString());
                    x.put("status", l.applied() ? "applied" : "flagged");
                    x.put("review", l.review());
                    late.add(x);
                }
                m.put("late", late);
                int status = o.accepted() == 0 && o.duplicates() == 0 && !rejected.isEmpty() ? 400 : 200;
                json(ctx, status, m);
            } else if (ar.cause() instanceof Ingest.Unavailable u) {
                metrics.ingestUnavailable();
                Failures.answer(ctx, 503, "事件库暂不可用，本请求未存储任何内容，请重发 · the event store is unavailable: "
                        + "nothing of this request was stored, send it again", u);
            } else {
                Failures.internal(ctx, ar.cause());
            }
        });
    }

    private record Parsed(List<Ingest.Item> items, List<Rejection> rejected) {
        /**
         * What a token limited to some communities may post: their events. Another community's
         * event is that line's rejection; the lines of its own communities are kept.
         */
        Parsed within(Set<String> scope) {
            if (scope == null) {
                return this;
            }
            List<Ingest.Item> kept = new ArrayList<>(items.size());
            List<Rejection> refused = new ArrayList<>(rejected);
            for (Ingest.Item i : items) {
                String c = i.event().community();
                if (scope.contains(c)) {
                    kept.add(i);
                } else {
                    refused.add(new Rejection(i.line(), i.index(), i.event().id(), "community",
                            "此令牌不能提交社区 " + c + " 的事件 / this token may not post events of community " + c
                                    + "; it may post " + new TreeSet<>(scope)));
                }
            }
            return new Parsed(kept, refused);
        }
    }

    /**
     * Lines longer than {@code maxLine} bytes are rejected one by one with their reason, like any
     * other bad line, and the good lines of the request are kept: one runaway line (a pasted
     * attachment) should not cost the sender the whole batch. The body as a whole is bounded
     * by the body limit (413). Only NDJSON is cut into lines: a JSON array body is bounded by
     * the body limit alone.
     */
    static Parsed parse(String body, int maxLine) {
        List<Ingest.Item> items = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        String text = body;
        if (maxLine > 0 && body.length() > maxLine && !body.stripLeading().startsWith("[")) {
            StringBuilder kept = new StringBuilder(body.length());
            int line = 0;
            int index = 0;
            for (int from = 0; from <= body.length(); ) {
                int nl = body.indexOf('\n', from);
                int end = nl < 0 ? body.length() : nl;
                line++;
                String l = body.substring(from, end);
                if (!l.isBlank()) {
                    index++;
                }
                if (l.length() > maxLine / 4 && l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxLine) {
                    // the line is left empty, so that the lines after it keep their numbers
                    rejected.add(new Rejection(line, index, null, null, "line longer than " + maxLine + " bytes"));
                } else {
                    kept.append(l);
                }
                if (nl < 0) {
                    break;
                }
                kept.append('\n');
                from = nl + 1;
            }
            text = kept.toString();
        }
        // indexes count the long lines too, as if the reader had seen them
        int[] longLines = rejected.stream().mapToInt(Rejection::line).toArray();
        new EventReader().read(text, new EventReader.Sink() {
            int index;

            private int shift(int line) {
                int n = 0;
                while (n < longLines.length && longLines[n] < line) {
                    n++;
                }
                return n;
            }

            @Override
            public void accept(Event event, int line, String text) {
                items.add(new Ingest.Item(event, line, ++index + shift(line), text));
            }

            @Override
            public void reject(Rejection r) {
                index++;
                int n = shift(r.line());
                rejected.add(n == 0 ? r : new Rejection(r.line(), r.index() + n, r.id(), r.field(), r.reason()));
            }
        });
        return new Parsed(items, rejected);
    }

    // ---- queries ------------------------------------------------------------------------------

    private void getFindings(RoutingContext ctx) {
        FindingStore.Filter filter;
        int limit;
        int offset;
        try {
            filter = new FindingStore.Filter(list(ctx, "community"), param(ctx, "rule"), param(ctx, "kind"),
                    param(ctx, "role"), param(ctx, "subject"), time(ctx, "from"), time(ctx, "to"));
            limit = Math.min(integer(ctx, "limit", 100), 1000);
            offset = integer(ctx, "offset", 0);
        } catch (IllegalArgumentException e) {
            json(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        vertx.executeBlocking(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", findings.count(filter));
            m.put("limit", limit);
            m.put("offset", offset);
            m.put("items", findings.query(filter, limit, offset));
            return m;
        }, false).onComplete(ar -> reply(ctx, ar));
    }

    private void getKpis(RoutingContext ctx) {
        List<String> communities = list(ctx, "community");
        Set<String> wanted = communities == null ? null : new HashSet<>(communities);
        // a limited token: its communities only, and the total ("*") over them
        Set<String> scope = AccessHandler.principal(ctx).communities();
        String kpi = param(ctx, "kpi");
        String period = param(ctx, "period");
        // on a worker: a period retired from memory is read back from PostgreSQL
        ctx.vertx().executeBlocking(() -> {
            List<Kpi> kpis = board.query(scope, wanted, kpi, period, monitor.rules().parameters().forCommunity("*"));
            List<Map<String, Object>> out = new ArrayList<>(kpis.size());
            kpis.forEach(k -> out.add(Json.toMap(k)));
            return Map.of("items", out);
        }, false).onComplete(ar -> reply(ctx, ar));
    }

    private void getRules(RoutingContext ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RuleInfo r : monitor.rules().rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("id", r.id());
            m.put("clause", r.clause());
            m.put("notify", r.role());
            m.put("kind", r.kind());
            m.put("file", r.file());
            out.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", monitor.rules().version());
        m.put("loadedAt", monitor.rules().loadedAt().toString());
        m.put("rules", out);
        json(ctx, 200, m);
    }

    /**
     * Status, rules version, clock and stored events. Cheap: one trivial query shows the database
     * answers, and the events are the count the event store keeps (never a count of the table,
     * seconds at millions of rows).
     */
    private void health(RoutingContext ctx) {
        ping().onComplete(ar -> {
            if (ar.failed()) {
                databaseUnavailable(ctx, ar.cause());
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            // degraded: judging on, with a provisional calendar year (CalendarHealth says why)
            pm.monitor.calendar.CalendarHealth.Report calendar = monitor.calendarHealth();
            m.put("status", calendar.status());
            if (calendar.degraded()) {
                m.put("reasons", calendar.reasons());
            }
            if (!calendar.warnings().isEmpty()) {
                m.put("warnings", calendar.warnings());
            }
            m.put("rulesVersion", monitor.rules().version());
            m.put("version", pm.monitor.app.Version.CURRENT.version());
            m.put("commit", pm.monitor.app.Version.CURRENT.commit());
            m.put("clock", config.wallClock() ? "wall" : "events");
            long stored = events.stored();
            m.put("events", stored < 0 ? null : stored);
            for (Routes r : modules) {
                r.health(m); // from memory: e.g. the rules folder refused at start
            }
            json(ctx, 200, m);
        });
    }

    /**
     * Readiness: the database answers a trivial query within {@link #PING_SECONDS}, and the
     * engines are loaded — the HTTP server starts only after the start-up rebuild, so any answer
     * means they are. Liveness ({@code /api/health/live}) is the process answering, nothing
     * more: a database outage must not get the service restarted.
     */
    private void ready(RoutingContext ctx) {
        ping().onComplete(ar -> {
            if (ar.failed()) {
                databaseUnavailable(ctx, ar.cause());
            } else {
                json(ctx, 200, Map.of("status", "ok"));
            }
        });
    }

    /** 503 {@code {"status": "database unavailable", "error": reason, "ref"}}; the cause goes to the log. */
    private static void databaseUnavailable(RoutingContext ctx, Throwable cause) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "database unavailable");
        m.putAll(Failures.body(ctx, 503, Failures.DATABASE, cause));
        json(ctx, 503, m);
    }

    static final int PING_SECONDS = 2;
    /** The trivial query in flight, shared by the probes that come meanwhile (event loop only). */
    private Future<Void> pinging;

    /**
     * {@code SELECT 1}, answered within {@link #PING_SECONDS}. One at a time: when the database
     * hangs, probes wait for the same query instead of each holding a worker thread.
     */
    private Future<Void> ping() {
        Future<Void> f = pinging;
        if (f == null) {
            Future<Void> mine = vertx.executeBlocking(() -> {
                events.ping(PING_SECONDS);
                return null;
            }, false);
            f = mine;
            pinging = mine;
            // (runs at once if the query is done already)
            mine.onComplete(ar -> {
                if (pinging == mine) {
                    pinging = null;
                }
            });
        }
        return f.timeout(PING_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** {@code POST /api/clock {"until": TIME}}: moves the clock (event-clock mode) and judges deadlines up to it. */
    private void postClock(RoutingContext ctx) {
        if (config.wallClock()) {
            json(ctx, 409, Map.of("error", "时钟跟随实际时间；以 --clock events 启动服务才能拨动 / the clock follows the wall clock; start serve with --clock events to move it"));
            return;
        }
        Instant until;
        try {
            Object v = ctx.body().asJsonObject().getValue("until");
            until = Timestamps.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            json(ctx, 400, Map.of("error", "请发送 {\"until\": \"2026-03-02T09:15:00+08:00\"} / send {\"until\": \"2026-03-02T09:15:00+08:00\"}: " + e.getMessage()));
            return;
        } catch (RuntimeException e) {
            // no body, or not JSON: the exception's message would name classes
            json(ctx, 400, Map.of("error", "请发送 {\"until\": \"2026-03-02T09:15:00+08:00\"} / send {\"until\": \"2026-03-02T09:15:00+08:00\"}"));
            return;
        }
        Future.fromCompletionStage(clock.apply(until, true), vertx.getOrCreateContext())
                .onComplete(ar -> reply(ctx, ar.map(v -> Map.of("clock", until.toString()))));
    }

    /** At most this many stored findings are sent to a stream that resumes; it reads the rest from /api/findings. */
    static final int RESUME_LIMIT = 10_000;

    /**
     * Server-sent events: every new finding ({@code event: finding}, with its id as the event id)
     * and KPI change ({@code event: kpi}). A token limited to some communities gets theirs only
     * (the company's KPI totals are not sent to it). A client that reconnects with the last id it
     * saw ({@code Last-Event-ID}, as browsers' EventSource does, or {@code ?lastEventId=}) first
     * gets the findings stored after it, in storage order (those made while it was away, during a
     * restart too), then the live ones, none twice.
     */
    private void stream(RoutingContext ctx) {
        Set<String> scope = AccessHandler.principal(ctx).communities();
        String last = ctx.request().getHeader("Last-Event-ID");
        if (last == null || last.isBlank()) {
            last = ctx.request().getParam("lastEventId");
        }
        String resumeFrom = last == null || last.isBlank() ? null : last.strip();
        HttpServerResponse res = ctx.response();
        res.setChunked(true);
        res.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        res.putHeader("Cache-Control", "no-cache");
        res.putHeader("X-Accel-Buffering", "no");
        res.write("retry: 2000\n\n");
        // While the stored findings are read, live ones wait in `held`; those already sent from the
        // store are skipped. Every handler here runs on this verticle's event loop: no locking.
        boolean[] resuming = {resumeFrom != null};
        List<String> held = new ArrayList<>();
        Set<String> resent = new java.util.HashSet<>();
        MessageConsumer<String> f = vertx.eventBus().consumer(Addresses.FINDINGS, m -> {
            if (scope == null || scope.contains(communityOf(m.body()))) {
                if (resuming[0]) {
                    held.add(m.body());
                } else {
                    writeFinding(res, m.body(), resent);
                }
            }
        });
        if (resumeFrom != null) {
            vertx.executeBlocking(() -> {
                FindingStore.Cursor cursor = findings.cursorOf(resumeFrom);
                return cursor == null ? List.<Finding>of()
                        : findings.storedAfter(cursor, scope, RESUME_LIMIT, monitor::zoneOf);
            }, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    for (Finding x : ar.result()) {
                        res.write("id: " + x.id() + "\nevent: finding\ndata: " + Json.line(x) + "\n\n");
                        resent.add(x.id());
                    }
                } else {
                    LOG.warn("stream resume from {} failed: {}", resumeFrom, ar.cause().toString());
                }
                resuming[0] = false;
                for (String body : held) {
                    writeFinding(res, body, resent);
                }
                held.clear();
            });
        }
        MessageConsumer<String> k = vertx.eventBus().consumer(Addresses.KPIS, m -> {
            if (scope == null || scope.contains(communityOf(m.body()))) {
                res.write("event: kpi\ndata: " + m.body() + "\n\n");
            }
        });
        long ping = vertx.setPeriodic(15_000, id -> res.write(": ping\n\n"));
        res.closeHandler(v -> {
            f.unregister();
            k.unregister();
            vertx.cancelTimer(ping);
        });
    }

    /** A live finding's line, with its id as the event id; one already resent from the store is skipped. */
    private static void writeFinding(HttpServerResponse res, String body, Set<String> resent) {
        String id = idOf(body);
        if (id != null && resent.remove(id)) {
            return;
        }
        res.write((id == null ? "" : "id: " + id + "\n") + "event: finding\ndata: " + body + "\n\n");
    }

    /** The {@code id} of a finding's JSON line (its first field, as Json.toMap writes it). */
    static String idOf(String json) {
        if (!json.startsWith("{\"id\":\"")) {
            return null;
        }
        int end = json.indexOf('"', 7);
        return end < 0 ? null : json.substring(7, end);
    }

    private static final String OPENAPI = readOpenApi();

    private static String readOpenApi() {
        try (java.io.InputStream in = ApiVerticle.class.getResourceAsStream("/pm/monitor/openapi.json")) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code GET /api/openapi.json}: docs/openapi.json, packed into the jar by the build. */
    private void openApi(RoutingContext ctx) {
        if (OPENAPI == null) {
            Failures.internal(ctx, new IllegalStateException("openapi.json is not in the jar"));
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(OPENAPI);
    }

    /** {@code GET /metrics}: the engines' and the database's gauges are read first, off the event loop. */
    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            metrics.refresh();
            return metrics.scrape();
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Failures.internal(ctx, ar.cause());
            } else {
                ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .putHeader("Cache-Control", "no-store").end(ar.result());
            }
        });
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The {@code community} of a finding's or KPI's JSON line, parsed only for limited streams. */
    private static String communityOf(String json) {
        return new io.vertx.core.json.JsonObject(json).getString("community");
    }

    /**
     * The one failure handler of /api and /metrics: a failed handler or a refused body (413)
     * answers JSON {@code {error, detail}}. A bad argument is the caller's (400); the database
     * failing is 503 wherever it happens; anything else is the service's fault (500, with a ref).
     */
    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 500 && ctx.failure() instanceof IllegalArgumentException e) {
            json(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
            return;
        }
        if (status >= 500) {
            Failures.answer(ctx, status, status == 503 ? Failures.UNAVAILABLE : Failures.INTERNAL, ctx.failure());
            return;
        }
        String message = status == 413 ? "请求内容超过 " + config.maxBodyBytes() + " 字节，请分批发送 / the body is larger than "
                + config.maxBodyBytes() + " bytes; send the events in smaller batches"
                : ctx.failure() != null ? String.valueOf(ctx.failure().getMessage()) : "request failed";
        json(ctx, status, Map.of("error", message));
    }



    private static void reply(RoutingContext ctx, io.vertx.core.AsyncResult<?> ar) {
        if (ar.succeeded()) {
            json(ctx, 200, ar.result());
        } else {
            Failures.unavailable(ctx, ar.cause());
        }
    }

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        if (status >= 400 && body instanceof Map<?, ?> m && m.containsKey("error")
                && (!m.containsKey("detail") || !m.containsKey("zh"))) {
            // one shape for every error answer, whichever route class wrote it: {error, detail, ...},
            // and {zh, en} each on its own when the reason is written "中文 / English"
            Map<Object, Object> whole = new LinkedHashMap<>(m);
            whole.putIfAbsent("detail", Errors.detail(ctx, status));
            Errors.halves(String.valueOf(m.get("error"))).ifPresent(h -> {
                whole.putIfAbsent("zh", h[0]);
                whole.putIfAbsent("en", h[1]);
            });
            body = whole;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Json.write(body));
    }
}
