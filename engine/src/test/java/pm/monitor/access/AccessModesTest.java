package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.store.schema.Tables.EVENTS;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.cli.Main;
import pm.monitor.finding.Json;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/** Open and enforced access, the token CLI, and the limits: rate per token, line length. */
@Tag("server")
class AccessModesTest {
    static final String GOOD = "{\"id\":\"%s\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"%s\",\"rings\":2}";

    @Test
    @DisplayName("Open with no token (one warning at start); from the first token on, 401 without one; the token is never logged")
    void openUntilTheFirstToken() {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        String token;
        try (TestServer server = TestServer.start("events")) {
            assertEquals(200, server.get("/api/findings").statusCode(), "open: no token needed");
            assertEquals(200, server.post("/api/events", GOOD.formatted("o1", "K1")).statusCode());
            HttpResponse<String> made = server.request("POST", "/api/tokens",
                    "{\"name\":\"first-admin\",\"role\":\"admin\"}", "Content-Type", "application/json");
            assertEquals(201, made.statusCode(), made.body());
            token = (String) TestServer.json(made).get("token");
            HttpResponse<String> none = server.get("/api/findings");
            assertEquals(401, none.statusCode(), "enforced from the first token on");
            assertTrue(none.body().contains("Authorization: Bearer"), none.body());
            assertEquals(401, server.post("/api/events", GOOD.formatted("o2", "K2")).statusCode());
            assertEquals(200, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + token).statusCode());
            assertEquals(200, server.get("/api/dashboard/labels").statusCode(), "the page's words stay public");
            assertEquals(200, server.get("/").statusCode(), "static files stay public");
            // a wrong token is refused, and what was sent is written nowhere
            server.request("GET", "/api/findings", null, "Authorization", "Bearer pmm_guessed-and-wrong");
            List<Map<String, Object>> audit = AccessTest.items(server.request("GET", "/api/audit", null,
                    "Authorization", "Bearer " + token));
            assertTrue(audit.stream().anyMatch(r -> r.get("action").equals("token.create")
                    && r.get("actor").equals("open") && r.get("target").equals("first-admin")), audit.toString());
            assertFalse(audit.toString().contains(token));
        } finally {
            System.setErr(err);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("no API tokens: the API is open"), "the log was captured: " + out);
        assertEquals(1, out.split("no API tokens", -1).length - 1, "warned once");
        assertFalse(out.contains(token), "the token is never logged");
        assertFalse(out.contains("pmm_"), "no token, right or wrong, is logged");
    }

    @Test
    @DisplayName("--auth required: a fresh install refuses calls without a token")
    void requiredEvenWithoutTokens() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("required", 50, 100, 65536))) {
            assertEquals(401, server.get("/api/findings").statusCode());
            assertEquals(401, server.request("POST", "/api/tokens", "{\"name\":\"a\",\"role\":\"admin\"}").statusCode());
        }
    }

    @Test
    @DisplayName("token create/list/revoke on the command line write to serve's database; the token prints once and works")
    void tokenCommandLine() {
        String db = TestDatabase.freshSchemaUrl();
        try (TestServer server = TestServer.start(db, pm.monitor.support.Rules.dir(), "events", c -> c)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"token", "create", "--role", "viewer", "--name", "quality",
                    "--communities", "C1", "--db", db}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            String token = out.toString(StandardCharsets.UTF_8).trim();
            assertTrue(token.startsWith("pmm_"), token);
            // found on a cache miss by the running service
            assertEquals(200, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + token).statusCode());
            assertEquals(401, server.get("/api/findings").statusCode());
            assertEquals(403, server.request("GET", "/api/findings?community=C2", null, "Authorization", "Bearer " + token)
                    .statusCode());

            out.reset();
            assertEquals(0, Main.run(new String[] {"token", "list", "--db", db}, new PrintStream(out, true), System.out));
            String list = out.toString(StandardCharsets.UTF_8);
            assertTrue(list.contains("quality") && list.contains("viewer") && list.contains("C1"), list);
            assertFalse(list.contains(token));

            // another token remains: with none left the API would be open again
            server.app().access().create("keeper", Role.ADMIN, null, "test");
            assertEquals(0, Main.run(new String[] {"token", "revoke", "quality", "--db", db}, System.out, System.err));
            server.app().access().refresh(); // what the service's periodic refresh does
            assertEquals(401, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + token).statusCode());
            assertEquals(1, Main.run(new String[] {"token", "revoke", "quality", "--db", db}, System.out,
                    new PrintStream(new ByteArrayOutputStream())));
            assertEquals(2, Main.run(new String[] {"token", "create", "--role", "boss", "--name", "x", "--db", db},
                    System.out, new PrintStream(new ByteArrayOutputStream())));
            ByteArrayOutputStream help = new ByteArrayOutputStream();
            assertEquals(0, Main.run(new String[] {"token", "--help"}, new PrintStream(help, true), System.err));
            assertTrue(help.toString().contains("--communities"));
        }
    }

    @Test
    @DisplayName("Over the rate a token gets 429 with Retry-After and a clear message; another token is not held up")
    void ratePerToken() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("auto", 1, 3, 65536))) {
            String a = server.app().access().create("a", Role.VIEWER, null, "test");
            String b = server.app().access().create("b", Role.VIEWER, null, "test");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, server.request("GET", "/api/rules", null, "Authorization", "Bearer " + a).statusCode(),
                        "the burst of 3");
            }
            HttpResponse<String> over = server.request("GET", "/api/rules", null, "Authorization", "Bearer " + a);
            assertEquals(429, over.statusCode());
            long retry = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 2, "at 1 request a second the next comes within a second or two: " + retry);
            assertTrue(over.body().contains("too many requests") && over.body().contains("per token"), over.body());
            assertEquals(200, server.request("GET", "/api/rules", null, "Authorization", "Bearer " + b).statusCode());
        }
    }

    @Test
    @DisplayName("While open, a client without a token is not rate-limited; login is limited per remote address")
    void openModeUnlimitedLoginPerAddress() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("auto", 1, 2, 65536))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.get("/api/rules").statusCode(), "request " + (i + 1) + " of a bulk client while open");
            }
            String wrong = "{\"token\":\"pmm_wrong\"}";
            HttpResponse<String> over = null;
            for (int i = 0; i < 3; i++) {
                over = server.post("/api/login", wrong);
            }
            assertEquals(429, over.statusCode(), over.body());
            assertTrue(over.body().contains("per address"), over.body());
            assertTrue(over.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    @DisplayName("A line over the line limit is rejected with its reason; the good lines of the batch are kept")
    @SuppressWarnings("unchecked")
    void longLineRejectedGoodLinesKept() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("auto", 50, 100, 1000))) {
            String longLine = GOOD.formatted("l2", "K2").replace("\"rings\":2", "\"rings\":2,\"note\":\"" + "x".repeat(1200) + "\"");
            HttpResponse<String> r = server.post("/api/events", String.join("\n",
                    GOOD.formatted("l1", "K1"), longLine, "not json", GOOD.formatted("l3", "K3")));
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals(2, body.get("accepted"));
            List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
            assertEquals(2, rejected.size(), rejected.toString());
            assertEquals(2, rejected.get(0).get("line"));
            assertEquals(2, rejected.get(0).get("index"));
            assertEquals("line longer than 1000 bytes", rejected.get(0).get("reason"));
            assertEquals(3, rejected.get(1).get("line"), "the lines after keep their numbers");
            assertEquals(3, rejected.get(1).get("index"));
            assertEquals(2, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS));
        }
    }

    static String event(String id, String community) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":"
                + Json.write(community) + ",\"call\":\"K" + id + "\",\"rings\":2}";
    }

    @Test
    @DisplayName("Issue 17.8: a token limited to C1 posts C1's events only; another community's line is rejected with its reason, the rest kept")
    @SuppressWarnings("unchecked")
    void ingestTokenPostsItsOwnCommunities() {
        try (TestServer server = TestServer.start("events")) {
            server.app().access().create("keeper", Role.ADMIN, null, "test");
            String c1 = server.app().access().create("feed-c1", Role.INGEST, List.of("C1"), "test");
            HttpResponse<String> r = server.request("POST", "/api/events", String.join("\n",
                    event("i1", "C1"), event("i2", "C2"), event("i3", "C1"), event("i4", "C3")),
                    "Authorization", "Bearer " + c1, "Content-Type", "application/x-ndjson");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals(2, body.get("accepted"), r.body());
            List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
            assertEquals(List.of(2, 4), rejected.stream().map(x -> x.get("line")).toList(), r.body());
            assertEquals(List.of("i2", "i4"), rejected.stream().map(x -> x.get("id")).toList());
            for (Map<String, Object> x : rejected) {
                assertEquals("community", x.get("field"));
                assertTrue(String.valueOf(x.get("reason")).contains("may not post events of community")
                        && String.valueOf(x.get("reason")).contains("此令牌不能提交社区"), x.toString());
            }
            assertEquals(2, server.app().database().dsl().fetchCount(EVENTS));
            assertEquals(0, server.app().database().dsl().fetchCount(EVENTS, EVENTS.COMMUNITY.ne("C1")));
            // nothing of its own: the whole request is refused (400), and still nothing stored
            HttpResponse<String> other = server.request("POST", "/api/events", event("i5", "C2"),
                    "Authorization", "Bearer " + c1);
            assertEquals(400, other.statusCode(), other.body());
            assertEquals(2, server.app().database().dsl().fetchCount(EVENTS));
        }
    }

    @Test
    @DisplayName("Issue 17.8: community codes follow one pattern at ingest: *, lists, markup, blanks and non-ASCII are rejected with line, id, field and reason")
    @SuppressWarnings("unchecked")
    void communityCodesAtIngest() {
        try (TestServer server = TestServer.start("events")) {
            List<String> bad = List.of("*", "C001,C002", "<b>C1</b>", "", " C1", "小区A", "-C1", ".", "C1/2", "C".repeat(101));
            List<String> good = List.of("C1", "C0001", "BAL311", "SF311", "H2", "c-1.a_b", "9", "C".repeat(100));
            StringBuilder lines = new StringBuilder();
            int n = 0;
            for (String c : bad) {
                lines.append(event("b" + n++, c)).append('\n');
            }
            for (String c : good) {
                lines.append(event("g" + n++, c)).append('\n');
            }
            HttpResponse<String> r = server.post("/api/events", lines.toString());
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals(good.size(), body.get("accepted"), r.body());
            List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
            assertEquals(bad.size(), rejected.size(), r.body());
            for (int i = 0; i < bad.size(); i++) {
                Map<String, Object> x = rejected.get(i);
                assertEquals(i + 1, x.get("line"));
                assertEquals("b" + i, x.get("id"));
                assertEquals("community", x.get("field"), x.toString());
                assertFalse(String.valueOf(x.get("reason")).isBlank());
            }
            assertTrue(String.valueOf(rejected.get(0).get("reason")).contains("社区代码")
                    && String.valueOf(rejected.get(0).get("reason")).contains("a community code is"), rejected.toString());
            assertEquals(0, server.app().database().dsl().fetchCount(EVENTS, EVENTS.COMMUNITY.in("*", "C001,C002", "<b>C1</b>")));
        }
    }

    @Test
    @DisplayName("Events stored before community codes were checked are read back as they were: the service still starts")
    void storedOldCodesStillRebuild() {
        TestServer server = TestServer.start("events");
        try {
            // written as an older version stored it: no check of the code then
            server.app().database().dsl().execute("INSERT INTO events (id, community, type, at, body) VALUES "
                    + "('old1', '小区A', 'call.answered', '2026-03-02T01:00:00Z', ?::jsonb)", event("old1", "小区A"));
            server = server.restart(pm.monitor.support.Rules.dir(), "events");
            assertEquals(200, server.get("/api/health").statusCode());
            assertEquals(200, server.post("/api/events", event("new1", "C1")).statusCode());
        } finally {
            server.close();
        }
    }
}
