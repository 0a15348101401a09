package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/** Hot reload in serve, under a stream of events; a broken change refused; versions audited and put back. */
@Tag("server")
class RulesReloadTest {

    private static String written(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"C1\",\"ticket\":\""
                + ticket + "\",\"kind\":\"complaint\",\"channel\":\"written\",\"household\":\"1-1-101\",\"category\":\"service\",\"receivedBy\":\"a1\"}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> violations(TestServer s, String rule) {
        return s.findings("rule=" + rule + "&kind=violation");
    }

    @Test
    @DisplayName("a limit changed live: ingest goes on, nothing lost or repeated, deadlines after the swap follow the new rules")
    @SuppressWarnings("unchecked")
    void reloadUnderAStream(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            String before = (String) TestServer.json(server.get("/api/rules")).get("version");
            // Written complaint received Friday 03-06: 2wd due Wed 03-11 00:00, 3wd due Thu 03-12 00:00.
            server.post("/api/events", written("w1", "W1", "2026-03-06T15:00:00+08:00"));

            // a steady stream of calls in another community while the change goes live
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            List<String> failures = new ArrayList<>();
            Thread stream = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    i++;
                    String line = "{\"id\":\"k" + i + "\",\"type\":\"call.answered\",\"at\":\"2026-03-06T16:"
                            + String.format("%02d", (i / 60) % 60) + ":" + String.format("%02d", i % 60)
                            + "+08:00\",\"community\":\"C2\",\"call\":\"K" + i + "\",\"rings\":" + (i % 7 == 0 ? 5 : 2) + "}";
                    HttpResponse<String> r = server.post("/api/events", line);
                    if (r.statusCode() != 200) {
                        failures.add(r.body());
                    } else {
                        sent.incrementAndGet();
                    }
                }
            });
            stream.start();
            TestServer.await("some events streaming", Duration.ofSeconds(20), () -> sent.get() > 20);
            Files.writeString(rules.resolve("parameters.conf"), Files.readString(rules.resolve("parameters.conf"))
                    .replace("complaint.written-reply-2wd.limit : limit = 2wd", "complaint.written-reply-2wd.limit : limit = 3wd"));
            HttpResponse<String> reload = server.post("/api/rules/reload", "");
            assertEquals(200, reload.statusCode(), reload.body());
            Map<String, Object> outcome = TestServer.json(reload);
            assertTrue(outcome.get("status").equals("live") || outcome.get("status").equals("unchanged"), reload.body());
            TestServer.await("a few more events after the swap", Duration.ofSeconds(20), () -> sent.get() > 60);
            stop.set(true);
            stream.join();
            assertEquals(List.of(), failures);

            String after = (String) TestServer.json(server.get("/api/rules")).get("version");
            assertNotEquals(before, after);
            server.post("/api/clock", "{\"until\":\"2026-03-13T00:00:00+08:00\"}");
            server.drain();
            long stored = server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS);
            assertEquals(1 + sent.get(), stored, "every acknowledged event is stored");
            List<Map<String, Object>> calls = violations(server, "call.three-rings");
            Set<String> subjects = new HashSet<>();
            calls.forEach(f -> subjects.add((String) f.get("subject")));
            assertEquals(calls.size(), subjects.size(), "no call's violation twice");
            assertEquals(sent.get() / 7, calls.size(), "every fifth-ring call found once, before and after the swap");
            List<Map<String, Object>> w = violations(server, "complaint.written-reply-2wd");
            assertEquals(1, w.size(), w.toString());
            assertEquals("2026-03-11T16:00:00Z", w.get(0).get("dueAt"), "the open duty follows the new rules: 3 working days");
            assertEquals(after, w.get(0).get("rulesVersion"));
        }
    }

    @Test
    @DisplayName("a broken change is refused with its file and line while the old rules keep running; a version can be put back")
    @SuppressWarnings("unchecked")
    void brokenChangeRefusedAndRollback(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            Path drl = rules.resolve("telephone/rings.drl");
            String good = Files.readString(drl);
            Files.writeString(drl, good.replace("$c : CallAnswered( rings >", "$c : CallAnswered( line == , rings >"));
            HttpResponse<String> refused = server.post("/api/rules/reload", "");
            assertEquals(422, refused.statusCode(), refused.body());
            List<Map<String, Object>> problems = (List<Map<String, Object>>) TestServer.json(refused).get("problems");
            assertEquals("telephone/rings.drl", problems.get(0).get("file"));
            assertEquals(first, TestServer.json(server.get("/api/rules")).get("version"), "the running rules stay");
            server.post("/api/events", "{\"id\":\"m1\",\"type\":\"call.missed\",\"at\":\"2026-03-06T16:00:00+08:00\",\"community\":\"C1\",\"call\":\"K1\"}");
            server.post("/api/clock", "{\"until\":\"2026-03-06T17:00:00+08:00\"}");
            server.drain();
            assertEquals(1, violations(server, "call.three-rings").size(), "the old rules still find the missed call");

            Files.writeString(drl, good);
            Files.writeString(rules.resolve("parameters.conf"), Files.readString(rules.resolve("parameters.conf"))
                    .replace("call.three-rings.max-rings : count = 3", "call.three-rings.max-rings : count = 4"));
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());
            String second = (String) TestServer.json(live).get("version");

            HttpResponse<String> back = server.post("/api/rules/rollback", "{\"version\":\"" + first + "\"}");
            assertEquals(200, back.statusCode(), back.body());
            assertEquals(first, TestServer.json(server.get("/api/rules")).get("version"));
            assertTrue(Files.readString(rules.resolve("parameters.conf")).contains("call.three-rings.max-rings : count = 3"));

            List<Map<String, Object>> audit = (List<Map<String, Object>>) TestServer.json(server.get("/api/rules/versions")).get("items");
            List<String> actions = audit.stream().map(a -> a.get("action") + " " + a.get("version")).toList();
            assertEquals(List.of("rollback " + first, "reload " + second, "refused refused", "start " + first), actions);
            String diff = (String) audit.get(1).get("diff");
            assertTrue(diff.contains("-call.three-rings.max-rings : count = 3") && diff.contains("+call.three-rings.max-rings : count = 4"), diff);
            assertEquals(List.of("parameters.conf"), audit.get(1).get("changedFiles"));
        }
    }

    @Test
    @DisplayName("a backtest in serve over stored events: progress, per-rule counts, nothing stored as live findings")
    @SuppressWarnings("unchecked")
    void backtestInServe() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            server.post("/api/events", pm.monitor.engine.BacktestTest.EVENTS);
            server.post("/api/clock", "{\"until\":\"2026-03-13T00:00:00+08:00\"}");
            server.drain();
            long findingsBefore = server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.FINDINGS);
            String conf = Files.readString(Rules.dir().resolve("parameters.conf"))
                    .replace("complaint.written-reply-2wd.limit : limit = 2wd", "complaint.written-reply-2wd.limit : limit = 3wd");
            HttpResponse<String> start = server.post("/api/backtests", pm.monitor.finding.Json.write(Map.of(
                    "files", Map.of("parameters.conf", conf), "to", "2026-03-13T00:00:00+08:00", "communities", List.of("C1"))));
            assertEquals(202, start.statusCode(), start.body());
            String id = (String) TestServer.json(start).get("id");
            Map<String, Object>[] view = new Map[1];
            TestServer.await("the backtest to finish", Duration.ofSeconds(60), () -> {
                view[0] = TestServer.json(server.get("/api/backtests/" + id));
                return "done".equals(view[0].get("status")) || String.valueOf(view[0].get("status")).startsWith("failed");
            });
            assertEquals("done", view[0].get("status"), view[0].toString());
            assertEquals(1.0, view[0].get("progress"));
            Map<String, Object> result = (Map<String, Object>) view[0].get("result");
            Map<String, Object> written = (Map<String, Object>) ((Map<String, Object>) result.get("perRule")).get("complaint.written-reply-2wd");
            assertEquals(Map.of("old", 2, "new", 1, "added", 0, "gone", 1, "moved", 1), written.get("violation"));
            assertTrue(((List<?>) result.get("changes")).size() >= 2, result.toString());
            assertEquals(findingsBefore, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.FINDINGS),
                    "a backtest stores nothing as a live finding");
        }
    }

    // ---- issue 18: reloads that cannot leave the service worse, and open duties ----------------

    private static String phoneComplaint(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\","
                + "\"category\":\"service\",\"receivedBy\":\"a1\"}";
    }

    private static String call(String id, String community, String at, int rings, String line) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.answered\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"call\":\"" + id + "\",\"line\":\"" + line + "\",\"rings\":" + rings + "}";
    }

    private static void setLimit(Path rules, String from, String to) throws java.io.IOException {
        String conf = Files.readString(rules.resolve("parameters.conf"));
        assertTrue(conf.contains(from), from);
        Files.writeString(rules.resolve("parameters.conf"), conf.replace(from, to));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> versions(TestServer s) {
        return (List<Map<String, Object>>) TestServer.json(s.get("/api/rules/versions")).get("items");
    }

    @SuppressWarnings("unchecked")
    private static void assertRunning(TestServer s, String version) {
        assertEquals(version, TestServer.json(s.get("/api/rules")).get("version"), "/api/rules");
        Map<String, Object> health = TestServer.json(s.get("/api/health"));
        assertEquals(version, health.get("rulesVersion"), "/api/health");
        assertEquals(version, ((Map<String, Object>) health.get("rules")).get("version"), "/api/health rules");
        Map<String, Object> live = versions(s).stream().filter(v -> !"refused".equals(v.get("action"))).findFirst().orElseThrow();
        assertEquals(version, live.get("version"), "/api/rules/versions: the newest version put live");
    }

    @Test
    @DisplayName("defect 1: a change whose rule fails when it fires is refused with the rule's file and name; health, rules and versions go on naming the running version")
    @SuppressWarnings("unchecked")
    void ruleThatFailsWhenItFiresIsRefused(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            server.post("/api/events", call("k1", "C1", "2026-03-06T16:00:00+08:00", 5, "400"));
            server.drain();
            Path drl = rules.resolve("telephone/rings.drl");
            String good = Files.readString(drl);
            Files.writeString(drl, good.replaceFirst(java.util.regex.Pattern.quote(
                    "@clause(\"SYS 电话接听规范 ①; SYS 奖惩细则 一.2\") @notify(\"supervisor\")"), "@clause(\"SYS 电话接听规范 ①; SYS 奖惩细则 一.2\")"));
            HttpResponse<String> refused = server.post("/api/rules/reload", "");
            assertEquals(422, refused.statusCode(), refused.body());
            Map<String, Object> problem = ((List<Map<String, Object>>) TestServer.json(refused).get("problems")).get(0);
            assertEquals("telephone/rings.drl", problem.get("file"), refused.body());
            assertTrue(String.valueOf(problem.get("message")).contains("\"call.three-rings\""), refused.body());
            assertRunning(server, first);
            assertEquals("refused", versions(server).get(0).get("action"));

            // the old rules still run
            server.post("/api/events", call("k2", "C1", "2026-03-06T16:05:00+08:00", 5, "400"));
            server.drain();
            List<Map<String, Object>> found = violations(server, "call.three-rings");
            assertEquals(2, found.size(), found.toString());
            found.forEach(f -> assertEquals(first, f.get("rulesVersion")));
        }
    }

    @Test
    @DisplayName("defect 1: a rebuild that fails on a stored event (not in the dry run) swaps nothing: every community keeps the running rules")
    void failedRebuildSwapsNothing(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            // communities on both shards; one holds the event the new rule cannot take
            for (String c : List.of("C1", "C2", "C3", "C4")) {
                server.post("/api/events", call(c + "-k1", c, "2026-03-06T16:00:00+08:00", 2, c.equals("C3") ? "999" : "400"));
            }
            server.drain();
            Files.writeString(rules.resolve("telephone/line999.drl"), """
                    package telephone;
                    import pm.monitor.event.Events.CallAnswered;

                    // 测试：a rule that fails on one stored call only
                    rule "call.three-rings: line 999"
                        @id("call.three-rings") @clause("SYS 电话接听规范 ①")
                    when
                        $c : CallAnswered( line == "999" )
                    then
                        throw new IllegalStateException("line 999 cannot be judged");
                    end
                    """);
            setLimit(rules, "call.three-rings.max-rings : count = 3", "call.three-rings.max-rings : count = 4");
            HttpResponse<String> refused = server.post("/api/rules/reload", "");
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("line 999 cannot be judged") && refused.body().contains("telephone/line999.drl"),
                    refused.body());
            assertRunning(server, first);
            // every community still runs the old rules: four rings is a violation under them
            for (String c : List.of("C1", "C2", "C3", "C4")) {
                server.post("/api/events", call(c + "-k2", c, "2026-03-06T16:10:00+08:00", 4, "400"));
            }
            server.drain();
            List<Map<String, Object>> found = violations(server, "call.three-rings");
            assertEquals(4, found.size(), found.toString());
            found.forEach(f -> assertEquals(first, f.get("rulesVersion")));
        }
    }

    @Test
    @DisplayName("defect 2: a limit tightened past an open duty's new deadline gives its violation at once, stamped at the new deadline, once; a rollback does not repeat it")
    void tightenedLimitJudgesOpenDutyNow(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            server.post("/api/events", phoneComplaint("c1", "C1", "T1", "2026-03-02T09:00:00+08:00"));
            server.post("/api/clock", "{\"until\":\"2026-03-02T10:30:00+08:00\"}"); // 2 h: due 11:00, still open
            server.drain();
            assertEquals(List.of(), violations(server, "complaint.contact-2h"));

            setLimit(rules, "complaint.contact-2h.limit : limit = 2h", "complaint.contact-2h.limit : limit = 30min");
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());
            String second = (String) TestServer.json(live).get("version");
            server.drain();
            List<Map<String, Object>> v = violations(server, "complaint.contact-2h");
            assertEquals(1, v.size(), v.toString());
            assertEquals("2026-03-02T01:30:00Z", v.get(0).get("at"), "stamped at the new deadline, 09:30");
            assertEquals("2026-03-02T01:30:00Z", v.get(0).get("dueAt"));
            assertEquals(second, v.get(0).get("rulesVersion"));

            HttpResponse<String> back = server.post("/api/rules/rollback", "{\"version\":\"" + first + "\"}");
            assertEquals(200, back.statusCode(), back.body());
            server.post("/api/clock", "{\"until\":\"2026-03-02T12:00:00+08:00\"}"); // past the old deadline, 11:00
            server.drain();
            v = violations(server, "complaint.contact-2h");
            assertEquals(1, v.size(), "the breach reported stands and is not reported again at 11:00: " + v);
        }
    }

    @Test
    @DisplayName("defect 3: a limit loosened after a breach was reported does not report the same duty again at the new deadline, nor after a restart")
    void loosenedLimitDoesNotRepeatABreach(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events");
        try {
            server.post("/api/events", phoneComplaint("c1", "C1", "T1", "2026-03-02T09:00:00+08:00"));
            server.post("/api/clock", "{\"until\":\"2026-03-02T11:30:00+08:00\"}"); // breached at 11:00
            server.drain();
            List<Map<String, Object>> v = violations(server, "complaint.contact-2h");
            assertEquals(1, v.size(), v.toString());
            assertEquals("2026-03-02T03:00:00Z", v.get(0).get("at"));

            setLimit(rules, "complaint.contact-2h.limit : limit = 2h", "complaint.contact-2h.limit : limit = 3h");
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());
            server.post("/api/clock", "{\"until\":\"2026-03-02T13:00:00+08:00\"}"); // past the new deadline, 12:00
            server.drain();
            v = violations(server, "complaint.contact-2h");
            assertEquals(1, v.size(), "one duty, one violation: " + v);
            assertEquals("2026-03-02T03:00:00Z", v.get(0).get("at"), "the breach reported stands");
            assertEquals(1, server.findings("rule=complaint.contact-2h&kind=warning").size(), "and one warning");

            server = server.restart(rules, "events");
            server.post("/api/clock", "{\"until\":\"2026-03-02T14:00:00+08:00\"}");
            server.drain();
            assertEquals(1, violations(server, "complaint.contact-2h").size(), "a restart does not report it either");
        } finally {
            server.close();
        }
    }

    @Test
    @DisplayName("defects 4 and 8: files that are not rules do not stop the service; a restart with a refused folder runs the last version that loaded and says so in health")
    @SuppressWarnings("unchecked")
    void refusedFolderIsNoOutage(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        byte[] binary = new byte[4096];
        new java.util.Random(18).nextBytes(binary);
        binary[0] = 0;
        Files.write(rules.resolve("limits.xlsx"), binary);
        Files.createDirectories(rules.resolve(".git/objects/1f"));
        Files.write(rules.resolve(".git/objects/1f/2e3d"), binary);
        TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events");
        try {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            assertEquals(first, pm.monitor.rules.RuleBook.load(Rules.dir(), java.time.Clock.systemUTC()).version(),
                    "the spreadsheet and .git are not part of the version");
            Files.write(rules.resolve("scenarios/copy.xlsx"), binary);
            HttpResponse<String> same = server.post("/api/rules/reload", "");
            assertEquals("unchanged", TestServer.json(same).get("status"), same.body());
            server.post("/api/events", call("k1", "C1", "2026-03-06T16:00:00+08:00", 5, "400"));
            server.drain();

            // stopped; meanwhile a rule file is broken
            Files.writeString(rules.resolve("telephone/broken.drl"), "package telephone;\nrule \"x\"\nwhen\n  CallAnswered( \nthen\nend\n");
            server = server.restart(rules, "events");
            assertRunning(server, first);
            Map<String, Object> health = TestServer.json(server.get("/api/health"));
            Map<String, Object> r = (Map<String, Object>) health.get("rules");
            assertEquals("refused", r.get("folder"), health.toString());
            assertEquals("the last version that loaded", r.get("startedOn"), health.toString());
            List<Map<String, Object>> warnings = (List<Map<String, Object>>) health.get("warnings");
            assertTrue(warnings.stream().anyMatch(w -> "rules.folder-refused".equals(w.get("code"))
                    && String.valueOf(w.get("zh")).contains(first)), health.toString());
            List<Map<String, Object>> problems = (List<Map<String, Object>>) TestServer.json(server.get("/api/rules/problems"))
                    .get("problems");
            assertEquals("telephone/broken.drl", problems.get(0).get("file"), problems.toString());
            // and it judges with it
            server.post("/api/events", call("k2", "C1", "2026-03-06T16:05:00+08:00", 5, "400"));
            server.drain();
            assertEquals(2, violations(server, "call.three-rings").size());

            // fixed: the reload puts the folder live and health is clear again
            Files.delete(rules.resolve("telephone/broken.drl"));
            setLimit(rules, "call.three-rings.max-rings : count = 3", "call.three-rings.max-rings : count = 4");
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());
            health = TestServer.json(server.get("/api/health"));
            assertEquals("ok", ((Map<String, Object>) health.get("rules")).get("folder"), health.toString());
        } finally {
            server.close();
        }
    }

    @Test
    @DisplayName("rules changed while the service was stopped go live at the start as a reload would: the version before runs first, and its reported breaches stand")
    void changedWhileStopped(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events");
        try {
            String first = (String) TestServer.json(server.get("/api/rules")).get("version");
            server.post("/api/events", phoneComplaint("c1", "C1", "T1", "2026-03-02T09:00:00+08:00"));
            server.post("/api/clock", "{\"until\":\"2026-03-02T11:30:00+08:00\"}");
            server.drain();
            assertEquals(1, violations(server, "complaint.contact-2h").size());
            setLimit(rules, "complaint.contact-2h.limit : limit = 2h", "complaint.contact-2h.limit : limit = 3h");
            server = server.restart(rules, "events");
            String second = (String) TestServer.json(server.get("/api/rules")).get("version");
            assertNotEquals(first, second);
            assertRunning(server, second);
            assertEquals("start", versions(server).get(0).get("action"));
            server.post("/api/clock", "{\"until\":\"2026-03-02T13:00:00+08:00\"}");
            server.drain();
            assertEquals(1, violations(server, "complaint.contact-2h").size(), "the breach reported under the old limit stands");
        } finally {
            server.close();
        }
    }
}
