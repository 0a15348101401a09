package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * Access to the API on a real PostgreSQL: every endpoint against every role, a manager of one
 * community against another's data by every route that shows it, and the audit of who did what.
 */
@Tag("server")
class AccessTest {
    private static TestServer server;
    /** role (or a limited token's name) → its secret */
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static String alertC1;
    private static String alertC2;

    static String complaint(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\","
                + "\"category\":\"environment\",\"receivedBy\":\"a1\"}";
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        // a generous rate: this class makes a few hundred calls quickly; limits have their own test
        server = TestServer.start("events", c -> c.withAccess("auto", 10_000, 10_000, 64 << 10));
        // Open while no token exists: set up as a fresh install would, without tokens.
        for (String c : List.of("C001", "C002")) {
            var r = server.request("POST", "/api/roster", Json.write(Map.of("community", c, "role", "supervisor",
                    "name", "sup " + c, "channel", "webhook", "address", "http://127.0.0.1:9/" + c)),
                    "Content-Type", "application/json");
            assertEquals(201, r.statusCode(), r.body());
        }
        var events = server.post("/api/events", String.join("\n",
                complaint("a1", "C001", "T1", "2026-03-02T09:00:00+08:00"),
                complaint("b1", "C002", "U1", "2026-03-02T09:00:00+08:00")));
        assertEquals(2, TestServer.json(events).get("accepted"), events.body());
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
        server.drain();
        TestServer.await("an alert in each community", Duration.ofSeconds(20), () -> {
            List<Map<String, Object>> items = (List<Map<String, Object>>) TestServer.json(server.get("/api/alerts"))
                    .get("items");
            for (Map<String, Object> a : items) {
                if (a.get("community").equals("C001")) {
                    alertC1 = (String) a.get("id");
                } else if (a.get("community").equals("C002")) {
                    alertC2 = (String) a.get("id");
                }
            }
            return alertC1 != null && alertC2 != null;
        });
        AccessService access = server.app().access();
        assertFalse(access.enforced(), "open until a token exists");
        for (Role r : Role.values()) {
            TOKENS.put(r.id(), access.create("t-" + r.id(), r, null, "test"));
        }
        TOKENS.put("managerC1", access.create("m-c001", Role.MANAGER, List.of("C001"), "test"));
        TOKENS.put("viewerC1", access.create("v-c001", Role.VIEWER, List.of("C001"), "test"));
        TOKENS.put("adminC1", access.create("adm-c001", Role.ADMIN, List.of("C001"), "test"));
        assertTrue(access.enforced());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> as(String who, String method, String path, String body) {
        String token = TOKENS.get(who);
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (token != null) {
            h.add("Authorization");
            h.add("Bearer " + token);
        }
        return server.request(method, path, body, h.toArray(String[]::new));
    }

    /** The status of a call; a stream's as soon as its headers come (it never ends). */
    static int status(String who, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (TOKENS.get(who) != null) {
            b.header("Authorization", "Bearer " + TOKENS.get(who));
        }
        HttpResponse<InputStream> r = server.client().sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(30, TimeUnit.SECONDS);
        if (path.contains("stream")) {
            r.body().close();
        } else {
            r.body().readAllBytes();
        }
        return r.statusCode();
    }

    // Who may call what: written out here, not read from Permissions, so that a change there
    // that nobody meant shows up as a failing test. i = ingest, v = viewer, m = manager,
    // a = analyst, A = admin; "-" = public.
    static final Object[][] MATRIX = {
            {"POST", "/api/events", "", "iA"},
            {"GET", "/api/health", null, "ivmaA"},
            {"GET", "/api/health/live", null, "-"},
            {"GET", "/api/health/ready", null, "-"},
            {"GET", "/api/me", null, "ivmaA"},
            {"GET", "/api/findings", null, "vmaA"},
            {"GET", "/api/kpis", null, "vmaA"},
            {"GET", "/api/stream", null, "vmaA"},
            {"GET", "/api/rules", null, "vmaA"},
            {"GET", "/api/dashboard/labels", null, "-"},
            {"GET", "/api/dashboard/communities", null, "vmaA"},
            {"GET", "/api/dashboard/overview", null, "vmaA"},
            {"GET", "/api/dashboard/trends", null, "vmaA"},
            {"GET", "/api/dashboard/categories", null, "vmaA"},
            {"GET", "/api/dashboard/tickets?community=C001&kpi=kpi.timeliness&period=2026-03", null, "vmaA"},
            {"GET", "/api/dashboard/tickets/C001/T1", null, "vmaA"},
            {"GET", "/api/dashboard/times?period=2026-03", null, "vmaA"},
            {"GET", "/api/dashboard/reports", null, "vmaA"},
            {"GET", "/api/dashboard/reports/monthly/2026-03", null, "vmaA"},
            {"POST", "/api/dashboard/export?format=csv", "{\"title\":\"t\",\"headers\":[\"a\"],\"rows\":[[\"1\"]]}", "vmaA"},
            {"GET", "/api/dashboard/people?community=C001&period=2026-03", null, "vmaA"},
            {"GET", "/api/dashboard/people/C001/a1?period=2026-03", null, "vmaA"},
            {"GET", "/api/dashboard/rules", null, "vmaA"},
            {"GET", "/api/dashboard/report", null, "vmaA"},
            {"GET", "/api/alerts", null, "vmaA"},
            {"GET", "/api/alerts/stream", null, "vmaA"},
            {"GET", "/api/alerts/settings", null, "vmaA"},
            {"GET", "/api/alerts/ALERT1", null, "vmaA"},
            {"GET", "/api/silences", null, "vmaA"},
            {"POST", "/api/alerts/NOPE/ack", "{}", "mA"},
            {"POST", "/api/silences", "{}", "mA"},
            {"PUT", "/api/silences/999999", "{\"for\":\"1h\"}", "mA"},
            {"DELETE", "/api/silences/999999", null, "mA"},
            {"POST", "/api/rules/reload", null, "aA"},
            {"POST", "/api/rules/rollback", "{}", "aA"},
            {"GET", "/api/rules/versions", null, "aA"},
            {"GET", "/api/rules/problems", null, "aA"},
            {"GET", "/api/rules/coverage", null, "aA"},
            {"GET", "/api/rules/stats", null, "aA"},
            {"POST", "/api/backtests", "{}", "aA"},
            {"GET", "/api/backtests/nope", null, "aA"},
            {"DELETE", "/api/backtests/nope", null, "aA"},
            {"POST", "/api/clock", "{}", "A"},
            {"PUT", "/api/alerts/settings", "{}", "A"},
            {"GET", "/api/message-templates", null, "A"},
            {"PUT", "/api/message-templates/email", "{}", "A"},
            {"DELETE", "/api/message-templates/nope", null, "A"},
            {"GET", "/api/roster", null, "A"},
            {"POST", "/api/roster", "{}", "A"},
            {"PUT", "/api/roster/999999", "{}", "A"},
            {"DELETE", "/api/roster/999999", null, "A"},
            {"GET", "/api/deliveries", null, "A"},
            {"GET", "/api/deliveries/999999", null, "A"},
            {"GET", "/api/tokens", null, "A"},
            {"POST", "/api/tokens", "{}", "A"},
            {"DELETE", "/api/tokens/nobody", null, "A"},
            {"GET", "/api/audit", null, "A"},
            {"GET", "/api/review", null, "vmaA"},
            {"GET", "/metrics", null, "A"},
            {"GET", "/api/openapi.json", null, "-"},
    };

    static Stream<Arguments> endpointsAndRoles() {
        List<Arguments> out = new ArrayList<>();
        Map<String, Character> letter = Map.of("ingest", 'i', "viewer", 'v', "manager", 'm', "analyst", 'a', "admin", 'A');
        for (Object[] e : MATRIX) {
            for (String role : List.of("ingest", "viewer", "manager", "analyst", "admin", "none")) {
                String allowed = (String) e[3];
                boolean ok = allowed.equals("-") || (letter.containsKey(role) && allowed.indexOf(letter.get(role)) >= 0);
                out.add(Arguments.of(e[0], e[1], e[2], role, ok));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{3} {0} {1} → allowed {4}")
    @MethodSource("endpointsAndRoles")
    @DisplayName("Every endpoint × every role: allowed, refused 403 for a wrong role, 401 without a token")
    void everyEndpointEveryRole(String method, String path, String body, String role, boolean allowed) throws Exception {
        String p = path.replace("ALERT1", alertC1);
        int status = status(role, method, p, body);
        if (allowed) {
            assertTrue(status != 401 && status != 403 && status < 500, role + " " + method + " " + p + " → " + status);
        } else {
            assertEquals(role.equals("none") ? 401 : 403, status, role + " " + method + " " + p);
        }
    }

    @Test
    @DisplayName("The table of the test covers every route of Permissions")
    void matrixCoversEveryRoute() {
        Set<String> tested = new HashSet<>();
        for (Object[] e : MATRIX) {
            String path = ((String) e[1]).split("\\?")[0];
            tested.add(e[0] + " " + Permissions.route((String) e[0], path).path());
        }
        for (Permissions.Route r : Permissions.routes()) {
            if (!r.path().equals("/api/login") && !r.path().equals("/api/logout")) {
                assertTrue(tested.contains(r.method() + " " + r.path()), "not tested: " + r);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) TestServer.json(r).get("items");
    }

    static Set<Object> communities(List<Map<String, Object>> items) {
        return items.stream().map(m -> m.get("community")).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("A manager of C001 cannot read C002 by any URL: findings, KPIs, drill-down, timeline, alerts, report, directory")
    @SuppressWarnings("unchecked")
    void managerOfOneCommunityCannotReadAnother() {
        String m = "managerC1";
        // asked for by name: refused with a clear message
        for (String path : List.of("/api/findings?community=C002", "/api/findings?community=C001,C002",
                "/api/kpis?community=C002", "/api/alerts?community=C002", "/api/dashboard/tickets/C002/U1",
                "/api/dashboard/tickets?community=C002&kpi=kpi.timeliness&period=2026-03",
                "/api/dashboard/people?community=C002", "/api/dashboard/people/C002/a1", "/api/dashboard/times?community=C002",
                "/api/dashboard/categories?community=C002", "/api/dashboard/trends?community=C002",
                "/api/dashboard/rules?community=C002", "/api/alerts/" + alertC2, "/api/alerts/stream?community=C002",
                "/api/stream?community=C002")) {
            var r = as(m, "GET", path, null);
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("may not see community C002"), r.body());
        }
        var ack = as(m, "POST", "/api/alerts/" + alertC2 + "/ack", "{}");
        assertEquals(403, ack.statusCode(), ack.body());
        var silence = as(m, "POST", "/api/silences", "{\"community\":\"C002\",\"rule\":\"*\",\"reason\":\"r\",\"for\":\"1h\"}");
        assertEquals(403, silence.statusCode(), silence.body());
        var everywhere = as(m, "POST", "/api/silences", "{\"community\":\"*\",\"rule\":\"*\",\"reason\":\"r\",\"for\":\"1h\"}");
        assertEquals(403, everywhere.statusCode(), "a limited manager may not silence every community");

        // not asked for: only its own
        var mine = items(as(m, "GET", "/api/findings?limit=1000", null));
        assertFalse(mine.isEmpty());
        assertEquals(Set.of("C001"), communities(mine));
        assertEquals(Set.of("C001"), communities(items(as(m, "GET", "/api/alerts", null))));
        assertEquals(Set.of("C001"), communities(items(as(m, "GET", "/api/dashboard/communities", null))));
        // its total is its communities', which the page must not call 全公司 (the company)
        assertEquals(Boolean.TRUE, TestServer.json(as(m, "GET", "/api/dashboard/communities", null)).get("scoped"));
        assertEquals(Boolean.FALSE, TestServer.json(as("viewer", "GET", "/api/dashboard/communities", null)).get("scoped"));
        // the time metrics' total: the company's for the unlimited viewer, the manager's own communities' for the manager
        assertEquals("selected", TestServer.json(as(m, "GET", "/api/dashboard/times?period=2026-03", null)).get("totalScope"));
        assertEquals("company", TestServer.json(as("viewer", "GET", "/api/dashboard/times?period=2026-03", null)).get("totalScope"));
        // the scheduled reports cover every community: not for a manager of one
        assertEquals(403, as(m, "GET", "/api/dashboard/reports", null).statusCode());
        assertEquals(403, as(m, "GET", "/api/dashboard/reports/monthly/2026-03", null).statusCode());
        assertEquals(Set.of("C001"), communities(items(as(m, "GET", "/api/dashboard/overview", null))));
        assertEquals(200, as(m, "GET", "/api/dashboard/tickets/C001/T1", null).statusCode());
        assertEquals(200, as(m, "GET", "/api/alerts/" + alertC1, null).statusCode());

        // KPIs: its community's, and the total row computed over its communities only
        List<Map<String, Object>> kpis = items(as(m, "GET", "/api/kpis?kpi=kpi.timeliness&period=2026-03", null));
        assertEquals(Set.of("C001", "*"), communities(kpis));
        Map<String, Object> own = kpis.stream().filter(k -> k.get("community").equals("C001")).findFirst().get();
        Map<String, Object> total = kpis.stream().filter(k -> k.get("community").equals("*")).findFirst().get();
        assertEquals(own.get("denominator"), total.get("denominator"));
        List<Map<String, Object>> all = items(as("viewer", "GET", "/api/kpis?kpi=kpi.timeliness&period=2026-03", null));
        Map<String, Object> companyTotal = all.stream().filter(k -> k.get("community").equals("*")).findFirst().get();
        assertEquals(2, ((Number) companyTotal.get("denominator")).intValue(), "an unlimited viewer's total is both communities");

        // the monthly report: its row and the total of its communities
        var report = as(m, "GET", "/api/dashboard/report?month=2026-03&limit=100", null);
        assertEquals(200, report.statusCode(), report.body());
        assertEquals(Set.of("C001"), communities((List<Map<String, Object>>) TestServer.json(report).get("items")));
        Map<String, Object> ownTotal = (Map<String, Object>) TestServer.json(report).get("company");
        Map<String, Object> fullTotal = (Map<String, Object>) TestServer.json(
                as("viewer", "GET", "/api/dashboard/report?month=2026-03&limit=100", null)).get("company");
        assertEquals(2, ((Number) fullTotal.get("complaints")).intValue(), "the unlimited total counts both communities' complaints: " + fullTotal);
        assertEquals(1, ((Number) ownTotal.get("complaints")).intValue(), "the limited total, C001's only: " + ownTotal);
        assertEquals("全公司", fullTotal.get("name"));
        assertEquals("所辖小区合计", ownTotal.get("name"), "a limited total is not the company's (全公司)");
        assertTrue(as(m, "GET", "/api/dashboard/report?month=2026-03&format=csv&lang=en", null).body()
                .contains("Total of your communities"));
        var csv = as(m, "GET", "/api/dashboard/report?month=2026-03&format=csv", null);
        assertEquals(200, csv.statusCode());
        assertFalse(csv.body().contains("C002"), csv.body());

        // the limited viewer likewise; the unlimited one sees both
        assertEquals(Set.of("C001"), communities(items(as("viewerC1", "GET", "/api/findings?limit=1000", null))));
        assertEquals(Set.of("C001", "C002"), communities(items(as("viewer", "GET", "/api/findings?limit=1000", null))));
    }

    @Test
    @DisplayName("The live stream of a manager of C001 carries C001's findings and none of C002's")
    void streamIsFilteredByCommunity() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url("/api/stream")))
                .header("Authorization", "Bearer " + TOKENS.get("managerC1")).build();
        HttpResponse<InputStream> res = server.client().sendAsync(req, HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, res.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 2000", in.readLine());
            // C002's finding first and stored before C001's event is even sent
            String missed = "{\"id\":\"%s\",\"type\":\"call.missed\",\"at\":\"2026-03-04T09:00:00+08:00\",\"community\":\"%s\",\"call\":\"K%s\"}";
            assertEquals(1, TestServer.json(as("ingest", "POST", "/api/events", missed.formatted("s2", "C002", "2"))).get("accepted"));
            server.drain();
            assertEquals(1, TestServer.json(as("ingest", "POST", "/api/events", missed.formatted("s1", "C001", "1"))).get("accepted"));
            server.drain();
            CompletableFuture<List<String>> data = CompletableFuture.supplyAsync(() -> {
                List<String> seen = new ArrayList<>();
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("data: ")) {
                            seen.add(line);
                            if (line.contains("\"C001\"") && line.contains("call.")) {
                                return seen;
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return seen;
            });
            List<String> seen = data.get(20, TimeUnit.SECONDS);
            assertTrue(seen.stream().anyMatch(l -> l.contains("\"C001\"")), seen.toString());
            assertTrue(seen.stream().noneMatch(l -> l.contains("C002")), seen.toString());
        }
    }

    @Test
    @DisplayName("A manager acknowledges and silences in its community; each is in the audit with who and when")
    @SuppressWarnings("unchecked")
    void managerActsAndIsAudited() {
        var ack = as("managerC1", "POST", "/api/alerts/" + alertC1 + "/ack", "{}");
        assertEquals(200, ack.statusCode(), ack.body());
        assertEquals("m-c001", TestServer.json(ack).get("ackedBy"), "without a name in the body, the token's");
        var silence = as("managerC1", "POST", "/api/silences",
                "{\"community\":\"C001\",\"rule\":\"call.*\",\"reason\":\"works\",\"for\":\"2h\"}");
        assertEquals(201, silence.statusCode(), silence.body());
        Object id = TestServer.json(silence).get("id");
        var listed = items(as("viewerC1", "GET", "/api/silences", null));
        assertTrue(listed.stream().anyMatch(s -> s.get("id").equals(id)));
        assertEquals(200, as("managerC1", "DELETE", "/api/silences/" + id, null).statusCode());
        assertEquals(200, as("analyst", "POST", "/api/rules/reload", null).statusCode());

        List<Map<String, Object>> audit = items(as("admin", "GET", "/api/audit?limit=1000", null));
        assertTrue(has(audit, "m-c001", "alert.ack", alertC1), audit.toString());
        assertTrue(has(audit, "m-c001", "silence.create", String.valueOf(id)), audit.toString());
        assertTrue(has(audit, "m-c001", "silence.delete", String.valueOf(id)), audit.toString());
        assertTrue(has(audit, "t-analyst", "rules.reload", null), audit.toString());
        assertTrue(has(audit, "test", "token.create", "m-c001"), audit.toString());
        assertTrue(has(audit, "m-c001", "token.use", "m-c001"), audit.toString());
        for (Map<String, Object> row : audit) {
            assertNotNull(row.get("at"));
        }
        // token use is recorded once a minute per token, not once per request
        long uses = audit.stream().filter(r -> r.get("action").equals("token.use") && r.get("actor").equals("m-c001")).count();
        assertEquals(1, uses, audit.toString());
        // the audit and the token table hold no token
        String dump = server.app().database().dsl().fetch("SELECT a::text FROM audit_log a").toString()
                + server.app().database().dsl().fetch("SELECT t::text FROM api_tokens t").toString();
        for (String secret : TOKENS.values()) {
            assertFalse(dump.contains(secret));
            assertTrue(dump.contains(Secrets.hash(secret)) || !dump.contains("pmm_"));
        }
        assertFalse(dump.contains("pmm_"), "no token, not even a prefix, is stored");
    }

    static boolean has(List<Map<String, Object>> audit, String actor, String action, String target) {
        return audit.stream().anyMatch(r -> r.get("actor").equals(actor) && r.get("action").equals(action)
                && (target == null || target.equals(r.get("target"))));
    }

    @Test
    @DisplayName("A bad token is 401, a revoked one is 401 from then on")
    void badAndRevokedTokens() {
        var bad = server.request("GET", "/api/findings", null, "Authorization", "Bearer pmm_not-a-token");
        assertEquals(401, bad.statusCode());
        assertTrue(bad.body().contains("unknown or revoked token"), bad.body());
        String t = server.app().access().create("short-lived", Role.VIEWER, null, "test");
        assertEquals(200, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + t).statusCode());
        var revoke = as("admin", "DELETE", "/api/tokens/short-lived", null);
        assertEquals(200, revoke.statusCode(), revoke.body());
        assertEquals(401, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + t).statusCode());
        assertEquals(404, as("admin", "DELETE", "/api/tokens/short-lived", null).statusCode());
    }

    @Test
    @DisplayName("An analyst limited to C001 backtests C001 only: C002 asked is 403, nothing asked means C001's events")
    @SuppressWarnings("unchecked")
    void limitedAnalystBacktestsOwnCommunities() {
        String a = server.app().access().create("a-c001", Role.ANALYST, List.of("C001"), "test");
        TOKENS.put("analystC1", a);
        // the running rules themselves, from their folder on the server
        String overlay = "{\"rules\":" + Json.write(pm.monitor.support.Rules.dir().toAbsolutePath().toString());
        var other = as("analystC1", "POST", "/api/backtests", overlay + ",\"communities\":[\"C001\",\"C002\"]}");
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("may not see community C002"), other.body());
        long own = backtestEvents("analystC1", overlay + "}");
        long all = backtestEvents("analyst", overlay + "}");
        assertEquals(1, own, "C001's one event");
        assertEquals(2, all, "an unlimited analyst's backtest takes both communities' events");
    }

    @SuppressWarnings("unchecked")
    private static long backtestEvents(String who, String body) {
        var started = as(who, "POST", "/api/backtests", body);
        assertEquals(202, started.statusCode(), started.body());
        String id = (String) TestServer.json(started).get("id");
        Map<String, Object>[] done = new Map[1];
        TestServer.await("backtest " + id, Duration.ofSeconds(60), () -> {
            done[0] = TestServer.json(as(who, "GET", "/api/backtests/" + id, null));
            return !Set.of("loading events", "running").contains(done[0].get("status"));
        });
        assertEquals("done", done[0].get("status"), done[0].toString());
        return ((Number) done[0].get("events")).longValue();
    }

    @Test
    @DisplayName("Logging in sets an HttpOnly, SameSite=Strict cookie that works like the token until logout")
    void loginCookie() {
        var bad = server.request("POST", "/api/login", "{\"token\":\"pmm_wrong\"}", "Content-Type", "application/json");
        assertEquals(401, bad.statusCode());
        var login = server.request("POST", "/api/login", "{\"token\":\"" + TOKENS.get("viewerC1") + "\"}",
                "Content-Type", "application/json");
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains(TOKENS.get("viewerC1")), "the cookie is a session id, not the token");
        String cookie = setCookie.split(";")[0];
        var me = server.request("GET", "/api/me", null, "Cookie", cookie);
        assertEquals("v-c001", TestServer.json(me).get("name"));
        assertEquals(Set.of("C001"), communities(items(server.request("GET", "/api/findings?limit=1000", null, "Cookie", cookie))));
        assertEquals(403, server.request("GET", "/api/findings?community=C002", null, "Cookie", cookie).statusCode());
        assertEquals(403, server.request("GET", "/api/tokens", null, "Cookie", cookie).statusCode());
        assertEquals(200, server.request("POST", "/api/logout", null, "Cookie", cookie).statusCode());
        assertEquals(401, server.request("GET", "/api/findings", null, "Cookie", cookie).statusCode());
    }

    @Test
    @DisplayName("Tokens are made and listed through the API by an administrator; the list shows no secret")
    @SuppressWarnings("unchecked")
    void tokensThroughTheApi() {
        var made = as("admin", "POST", "/api/tokens", "{\"name\":\"crm-feed\",\"role\":\"ingest\"}");
        assertEquals(201, made.statusCode(), made.body());
        String t = (String) TestServer.json(made).get("token");
        assertTrue(t.startsWith("pmm_") && t.length() > 40, t);
        var events = server.request("POST", "/api/events", "", "Authorization", "Bearer " + t);
        assertEquals(400, events.statusCode(), "the new ingest token may post (an empty body is 400, not 401/403)");
        assertEquals(403, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + t).statusCode());
        var bad = as("admin", "POST", "/api/tokens", "{\"name\":\"x\",\"role\":\"boss\"}");
        assertEquals(400, bad.statusCode());
        var list = as("admin", "GET", "/api/tokens", null);
        assertTrue(list.body().contains("crm-feed"));
        assertFalse(list.body().contains(t));
        assertFalse(list.body().contains(Secrets.hash(t)), "not even the hash is shown");
        assertNotEquals(-1, list.body().indexOf("\"lastUsedAt\""));
    }

    /** A request with its path exactly as written (an HTTP client would tidy it): status line and whole answer. */
    static String[] raw(String who, String method, String path) throws java.io.IOException {
        int port = server.app().port();
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            String token = TOKENS.get(who);
            String request = method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new String[] {answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4), answer};
        }
    }

    @Test
    @DisplayName("Issue 17.8: a limited admin cannot reach another community by a path the router tidies (//, ./, ../, %xx, trailing /)")
    void tidiedPathsAreCheckedAsTheRouterSeesThem() throws Exception {
        for (String path : List.of("/api//findings?community=C002", "//api/findings?community=C002",
                "/api/./findings?community=C002", "/api/x/../findings?community=C002", "/api/%66indings?community=C002",
                "/api/findings/?community=C002", "/api/%2e%2e/api/findings?community=C002",
                "/api/dashboard/tickets/%43002/U1", "/api//dashboard//tickets/C002/U1", "/api/review?community=C002",
                "/api//review?community=C002", "/api//kpis?community=C002")) {
            String[] r = raw("adminC1", "GET", path);
            assertEquals("403", r[0], path + " → " + r[1]);
            assertTrue(r[1].contains("may not see community C002") && r[1].contains("无权查看社区 C002"), r[1]);
        }
        // its own community by the same odd paths; nothing of C002's when it names none
        assertEquals("200", raw("adminC1", "GET", "/api//findings?community=C001")[0]);
        String[] none = raw("adminC1", "GET", "/api//findings?limit=1000");
        assertEquals("200", none[0], none[1]);
        assertTrue(none[1].contains("\"C001\"") && !none[1].contains("C002"), none[1]);
        String[] review = raw("viewerC1", "GET", "/api/review");
        assertEquals("200", review[0], review[1]);
        // another case is another path: no route, nothing served
        String[] upper = raw("adminC1", "GET", "/API/findings?community=C002");
        assertEquals("404", upper[0], upper[1]);
        assertFalse(upper[1].contains("\"items\""), upper[1]);
        assertEquals("404", raw("adminC1", "GET", "/api/Findings?community=C002")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyone")
    @DisplayName("Issue 17.8: a route not in the permissions table is refused to everyone, administrators included (deny by default)")
    void unknownRouteIsNobodys(String who) throws Exception {
        for (String path : List.of("/api/not-a-route", "/api/findings/extra", "/api/tokens/x/y")) {
            var r = as(who, "GET", path, null);
            assertEquals(404, r.statusCode(), who + " " + path + " → " + r.body());
            assertTrue(r.body().contains("no such API route") && r.body().contains("没有这个接口"), r.body());
        }
        assertEquals(404, as(who, "PATCH", "/api/roster/1", "{}").statusCode(), "a method not in the table");
    }

    static Stream<String> everyone() {
        return Stream.of("admin", "adminC1", "viewer", "ingest", "none");
    }

    @Test
    @DisplayName("Issue 17.8: community= takes community codes only; * only where it means every community (KPIs, silences, roster)")
    void communityParameterIsACode() {
        // the limited viewer read the community literally named "*"
        for (String who : List.of("viewerC1", "viewer", "admin")) {
            for (String path : List.of("/api/findings?community=*", "/api/findings?community=C001,*",
                    "/api/review?community=*", "/api/alerts?community=*", "/api/dashboard/tickets?community=*&kpi=kpi.timeliness&period=2026-03",
                    "/api/findings?community=%3Cb%3Ex%3C/b%3E", "/api/findings?community=C001%20C002",
                    "/api/findings?community=C001&community=%3Cscript%3E", "/api/dashboard/tickets/C%2F001/T1",
                    "/api/kpis?community=..", "/api/findings?community=-C1")) {
                var r = as(who, "GET", path, null);
                assertEquals(400, r.statusCode(), who + " " + path + " → " + r.body());
                Map<String, Object> body = TestServer.json(r);
                assertNotNull(body.get("zh"), r.body());
                assertNotNull(body.get("en"), r.body());
            }
        }
        var star = as("viewerC1", "GET", "/api/findings?community=*", null);
        assertTrue(String.valueOf(TestServer.json(star).get("en")).contains("every community only in KPIs"), star.body());
        var code = as("viewer", "GET", "/api/findings?community=%3Cb%3E", null);
        assertTrue(String.valueOf(TestServer.json(code).get("en")).contains("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"), code.body());
        // where "*" is the company or every community it still is
        assertEquals(Set.of("*"), communities(items(as("viewerC1", "GET", "/api/kpis?community=*&kpi=kpi.timeliness&period=2026-03", null))));
        assertEquals(200, as("viewerC1", "GET", "/api/silences?community=*", null).statusCode());
        assertEquals(200, as("admin", "GET", "/api/roster?community=*", null).statusCode());
        assertEquals(200, as("viewer", "GET", "/api/dashboard/categories?community=*", null).statusCode());
        assertEquals(200, as("viewer", "GET", "/api/findings?community=C001,C002", null).statusCode());
    }

    @Test
    @DisplayName("Issue 17.8: a limited admin makes (and revokes, and lists) tokens within its own communities only")
    @SuppressWarnings("unchecked")
    void tokensNoWiderThanTheirMaker() {
        for (String body : List.of("{\"name\":\"w1\",\"role\":\"admin\"}", "{\"name\":\"w2\",\"role\":\"viewer\"}",
                "{\"name\":\"w3\",\"role\":\"viewer\",\"communities\":[\"C001\",\"C002\"]}",
                "{\"name\":\"w4\",\"role\":\"ingest\",\"communities\":\"C002\"}")) {
            var r = as("adminC1", "POST", "/api/tokens", body);
            assertEquals(403, r.statusCode(), body + " → " + r.body());
            assertTrue(r.body().contains("within its own role and communities"), r.body());
        }
        var ok = as("adminC1", "POST", "/api/tokens", "{\"name\":\"w5\",\"role\":\"ingest\",\"communities\":[\"C001\"]}");
        assertEquals(201, ok.statusCode(), ok.body());
        String t = (String) TestServer.json(ok).get("token");
        assertEquals(403, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + t).statusCode(),
                "an ingest token, as asked");
        // another's token: neither revoked nor listed
        var revoke = as("adminC1", "DELETE", "/api/tokens/t-admin", null);
        assertEquals(403, revoke.statusCode(), revoke.body());
        assertEquals(200, as("admin", "GET", "/api/me", null).statusCode(), "the unlimited admin's token still works");
        List<Map<String, Object>> listed = items(as("adminC1", "GET", "/api/tokens", null));
        Set<Object> names = listed.stream().map(m -> m.get("name")).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("w5", "v-c001", "m-c001", "adm-c001")), names.toString());
        assertFalse(names.contains("t-admin") || names.contains("t-viewer"), names.toString());
        assertEquals(200, as("adminC1", "DELETE", "/api/tokens/w5", null).statusCode());
        // codes are codes, for every maker
        var bad = as("admin", "POST", "/api/tokens", "{\"name\":\"w6\",\"role\":\"viewer\",\"communities\":[\"<b>C1</b>\"]}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("community code"), bad.body());
    }

    @Test
    @DisplayName("No higher role: an administrator covers every role, a manager or analyst a viewer, the others themselves")
    void rolesCoverNoHigherRole() {
        Principal c1Admin = new Principal(1, "a", Role.ADMIN, Set.of("C001"));
        assertTrue(c1Admin.grants(Role.ADMIN, List.of("C001")));
        assertFalse(c1Admin.grants(Role.VIEWER, null), "every community is wider than C001");
        assertFalse(c1Admin.grants(Role.VIEWER, List.of("C001", "C002")));
        Principal manager = new Principal(2, "m", Role.MANAGER, null);
        assertTrue(manager.grants(Role.VIEWER, null));
        assertTrue(manager.grants(Role.MANAGER, List.of("C9")));
        assertFalse(manager.grants(Role.ADMIN, List.of("C9")));
        assertFalse(manager.grants(Role.ANALYST, null));
        assertFalse(new Principal(3, "i", Role.INGEST, null).grants(Role.VIEWER, null));
        assertTrue(Principal.OPEN.grants(Role.ADMIN, null));
    }
}
