package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * The shipped calendar ends on 2026-12-31 (cn 2024–2026). Past it the service judges on with a
 * provisional Monday–Friday 2027, marks what that touched, says in health why it is degraded,
 * restarts with such events stored, and counts open duties again when 2027.json arrives.
 */
@Tag("server")
class CalendarYearEndTest {

    private static String complaint(String id, String ticket, String channel, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"C1\",\"ticket\":\""
                + ticket + "\",\"kind\":\"complaint\",\"channel\":\"" + channel
                + "\",\"household\":\"1-1-101\",\"category\":\"service\",\"receivedBy\":\"a1\"}\n";
    }

    private static Map<String, Object> finding(TestServer s, String rule, String ticket) {
        List<Map<String, Object>> f = s.findings("rule=" + rule + "&kind=violation").stream()
                .filter(x -> ticket.equals(x.get("subject")) || x.get("subject").toString().startsWith(ticket))
                .toList();
        assertEquals(1, f.size(), rule + " " + ticket + ": " + f);
        return f.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deadline(Map<String, Object> finding) {
        return (Map<String, Object>) ((Map<String, Object>) finding.get("details")).get("deadline");
    }

    private static Map<String, Object> health(TestServer s) {
        HttpResponse<String> r = s.get("/api/health");
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @SuppressWarnings("unchecked")
    private static void assertDegradedFor2027(Map<String, Object> health) {
        assertEquals("degraded", health.get("status"), health.toString());
        List<Map<String, Object>> reasons = (List<Map<String, Object>>) health.get("reasons");
        assertEquals(1, reasons.size(), health.toString());
        assertEquals("calendar.cn.no-data", reasons.get(0).get("code"));
        assertEquals(2027, reasons.get(0).get("year"));
        assertTrue(((String) reasons.get(0).get("en")).contains("no data for 2027"), reasons.toString());
        assertTrue(((String) reasons.get(0).get("zh")).contains("尚无 2027 年数据"), reasons.toString());
    }

    @Test
    @DisplayName("January 2027 events are accepted and judged; the 2wd deadline into 2027 is marked provisional; a restart with them stored starts")
    @SuppressWarnings("unchecked")
    void judgesPastTheCalendar() {
        TestServer server = TestServer.start("events");
        try {
            String body = complaint("w1", "W1", "written", "2026-12-31T10:00:00+08:00")
                    + complaint("p1", "P1", "phone", "2027-01-04T09:00:00+08:00");
            HttpResponse<String> r = server.post("/api/events", body);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(2, TestServer.json(r).get("accepted"), r.body());
            assertEquals(List.of(), TestServer.json(r).get("rejected"));
            server.post("/api/clock", "{\"until\":\"2027-01-08T00:00:00+08:00\"}");
            server.drain();

            // Thu 12-31 + 2 working days: Fri 01-01 and Mon 01-04, both provisional; due at the end of 01-04.
            Map<String, Object> written = finding(server, "complaint.written-reply-2wd", "W1");
            assertEquals("2027-01-04T16:00:00Z", written.get("dueAt"));
            assertEquals(true, deadline(written).get("provisional"), written.toString());
            assertEquals(List.of(2027), deadline(written).get("provisionalYears"));
            String explain = (String) ((Map<String, Object>) written.get("details")).get("explain");
            assertTrue(explain.contains("PROVISIONAL") && explain.contains("暂定"), explain);
            // 2-hour and same-day limits count no working day: not marked, in 2027 too.
            for (Map<String, Object> f : List.of(finding(server, "complaint.contact-2h", "W1"),
                    finding(server, "complaint.contact-2h", "P1"), finding(server, "complaint.verbal-reply-same-day", "P1"))) {
                assertNull(deadline(f).get("provisional"), f.toString());
            }
            assertDegradedFor2027(health(server));

            // Restarted with these events stored: it starts, rebuilds, and takes more of 2027.
            server = server.restart(Rules.dir(), "events");
            assertDegradedFor2027(health(server));
            HttpResponse<String> more = server.post("/api/events", complaint("p2", "P2", "phone", "2027-01-08T09:00:00+08:00"));
            assertEquals(1, TestServer.json(more).get("accepted"), more.body());
            server.post("/api/clock", "{\"until\":\"2027-01-08T12:00:00+08:00\"}");
            server.drain();
            finding(server, "complaint.contact-2h", "P2");
            assertEquals(1, server.findings("rule=complaint.written-reply-2wd&kind=violation").size(),
                    "the restart does not find the old violation twice");
        } finally {
            server.close();
        }
    }

    @Test
    @DisplayName("2027.json added and the rules reloaded: the open 2wd duty into 2027 is counted again with it, no longer provisional")
    @SuppressWarnings("unchecked")
    void reloadCountsOpenDutiesAgain(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            server.post("/api/events", complaint("w1", "W1", "written", "2026-12-31T10:00:00+08:00"));
            server.drain();
            Map<String, Object> before = health(server);
            assertEquals("ok", before.get("status"), before.toString());
            List<Map<String, Object>> warnings = (List<Map<String, Object>>) before.get("warnings");
            assertEquals("calendar.cn.runs-out", warnings.get(0).get("code"), before.toString());
            assertEquals(1L, ((Number) warnings.get(0).get("daysLeft")).longValue(), before.toString());
            assertEquals("2027-01-05T00:00:00+08:00", due(server, "complaint.written-reply-2wd"));

            // The notice arrives: Monday 2027-01-04 is a holiday (a test's arrangement, not the real one).
            Files.writeString(rules.resolve("calendar/cn/2027.json"), """
                    {"year": 2027, "days": [{"name": "test", "date": "2027-01-04", "isOffDay": true}]}""");
            HttpResponse<String> reload = server.post("/api/rules/reload", "");
            assertEquals(200, reload.statusCode(), reload.body());
            assertEquals("live", TestServer.json(reload).get("status"), reload.body());
            // Fri 01-01 and Tue 01-05 now.
            assertEquals("2027-01-06T00:00:00+08:00", due(server, "complaint.written-reply-2wd"));

            server.post("/api/clock", "{\"until\":\"2027-01-08T00:00:00+08:00\"}");
            server.drain();
            Map<String, Object> written = finding(server, "complaint.written-reply-2wd", "W1");
            assertEquals("2027-01-05T16:00:00Z", written.get("dueAt"));
            assertNull(deadline(written).get("provisional"), written.toString());
            Map<String, Object> after = health(server);
            assertEquals("ok", after.get("status"), after.toString());
            assertNull(after.get("warnings"), after.toString());
        }
    }

    /** The due time of a rule's duty on ticket W1, as its timeline shows it. */
    private static String due(TestServer s, String rule) {
        List<Map<String, Object>> ds = s.app().monitor().withEngine("C1", e -> e.deadlinesOf("W1")).join();
        return ds.stream().filter(d -> rule.equals(d.get("rule"))).map(d -> (String) d.get("dueAt")).findFirst()
                .orElseThrow(() -> new AssertionError(rule + " not among " + ds));
    }

    @Test
    @DisplayName("Started by the wall clock on 2027-01-04 with the shipped rules: it judges, and health says why it is degraded")
    void startsOn2027January4() {
        Instant start = OffsetDateTime.parse("2027-01-04T09:00:00+08:00").toInstant();
        Clock wall = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), Rules.dir(), "wall", c -> c, wall)) {
            assertDegradedFor2027(health(server));
            // Received at 06:00: its 2-hour contact limit passed at 08:00, before the service's now.
            HttpResponse<String> r = server.post("/api/events", complaint("p1", "P1", "phone", "2027-01-04T06:00:00+08:00"));
            assertEquals(1, TestServer.json(r).get("accepted"), r.body());
            TestServer.await("the contact-2h violation", Duration.ofSeconds(20), () -> {
                server.drain();
                return !server.findings("rule=complaint.contact-2h&kind=violation").isEmpty();
            });
        }
    }
}
