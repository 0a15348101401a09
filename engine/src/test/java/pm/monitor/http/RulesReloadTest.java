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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/** Hot reload in serve, under a stream of events; a broken change refused; versions audited and put back. */
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
                    .replace("complaint.written-reply-2wd.limit = 2wd", "complaint.written-reply-2wd.limit = 3wd"));
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
                    .replace("call.three-rings.max-rings = 3", "call.three-rings.max-rings = 4"));
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());
            String second = (String) TestServer.json(live).get("version");

            HttpResponse<String> back = server.post("/api/rules/rollback", "{\"version\":\"" + first + "\"}");
            assertEquals(200, back.statusCode(), back.body());
            assertEquals(first, TestServer.json(server.get("/api/rules")).get("version"));
            assertTrue(Files.readString(rules.resolve("parameters.conf")).contains("call.three-rings.max-rings = 3"));

            List<Map<String, Object>> audit = (List<Map<String, Object>>) TestServer.json(server.get("/api/rules/versions")).get("items");
            List<String> actions = audit.stream().map(a -> a.get("action") + " " + a.get("version")).toList();
            assertEquals(List.of("rollback " + first, "reload " + second, "refused refused", "start " + first), actions);
            String diff = (String) audit.get(1).get("diff");
            assertTrue(diff.contains("-call.three-rings.max-rings = 3") && diff.contains("+call.three-rings.max-rings = 4"), diff);
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
                    .replace("complaint.written-reply-2wd.limit = 2wd", "complaint.written-reply-2wd.limit = 3wd");
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
            assertEquals(Map.of("old", 2, "new", 1), written.get("violation"));
            assertEquals(findingsBefore, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.FINDINGS),
                    "a backtest stores nothing as a live finding");
        }
    }
}
