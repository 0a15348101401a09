package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** POST /api/events against a real PostgreSQL. */
class IngestTest {

    static final String GOOD_AND_BAD = String.join("\n",
            "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\",\"crmRef\":\"X-7\"}",
            "{\"id\":\"e2\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:30:00+08:00\",\"community\":\"C1\"}",
            "{\"id\":\"e3\",\"type\":\"ticket.replied\",\"at\":\"2026-03-02T10:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"method\":\"fax\"}",
            "not json at all",
            "",
            "{\"id\":\"e4\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:40:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"by\":\"s1\"}",
            "{\"id\":\"e5\",\"type\":\"ticket.closed\",\"at\":\"2026-03-02T11:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"NOPE\"}",
            "{\"id\":\"e6\",\"type\":\"ticket.teleported\",\"at\":\"2026-03-02T11:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\"}",
            "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}");

    @Test
    @DisplayName("A batch mixing good and bad lines keeps the good and names each bad one by line, id, field and reason")
    @SuppressWarnings("unchecked")
    void goodKeptBadNamed() {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<String> r = server.post("/api/events", GOOD_AND_BAD);
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals(2, body.get("accepted"));
            assertEquals(1, body.get("duplicates"), "e1 sent twice counts once");
            List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
            Map<Integer, String> fieldByLine = rejected.stream().collect(Collectors.toMap(
                    x -> (Integer) x.get("line"), x -> String.valueOf(x.get("field"))));
            assertEquals(Map.of(2, "ticket", 3, "method", 4, "null", 7, "ticket", 8, "type"), fieldByLine);
            Map<String, Object> unknownTicket = rejected.stream().filter(x -> x.get("line").equals(7)).findFirst().get();
            assertEquals("e5", unknownTicket.get("id"));
            assertTrue(String.valueOf(unknownTicket.get("reason")).contains("unknown ticket NOPE"));
            Map<String, Object> badEnum = rejected.stream().filter(x -> x.get("line").equals(3)).findFirst().get();
            assertTrue(String.valueOf(badEnum.get("reason")).contains("\"fax\""), badEnum.toString());

            HttpResponse<String> again = server.post("/api/events", GOOD_AND_BAD);
            assertEquals(0, TestServer.json(again).get("accepted"));
            assertEquals(3, TestServer.json(again).get("duplicates"));
            long stored = server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS);
            assertEquals(2, stored);
            String body1 = server.app().database().dsl().select(pm.monitor.store.schema.Tables.EVENTS.BODY)
                    .from(pm.monitor.store.schema.Tables.EVENTS).where(pm.monitor.store.schema.Tables.EVENTS.ID.eq("e1"))
                    .fetchOne().value1().data();
            assertTrue(body1.contains("crmRef"), "unknown extra fields are kept: " + body1);
        }
    }

    @Test
    @DisplayName("A JSON array body works like NDJSON, and lines are those of the elements")
    void jsonArray() {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<String> r = server.post("/api/events", "[\n"
                    + "{\"id\":\"a1\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K1\",\"rings\":2},\n"
                    + "{\"id\":\"a2\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K2\",\"rings\":\"two\"}\n"
                    + "]");
            Map<String, Object> body = TestServer.json(r);
            assertEquals(1, body.get("accepted"));
            @SuppressWarnings("unchecked")
            Map<String, Object> bad = ((List<Map<String, Object>>) body.get("rejected")).get(0);
            assertEquals(3, bad.get("line"));
            assertEquals("rings", bad.get("field"));
        }
    }

    @Test
    @DisplayName("After a restart every acknowledged event is still there and no finding is emitted twice")
    void restartKeepsEventsAndFindings() {
        TestServer server = TestServer.start("events");
        try {
            server.post("/api/events", String.join("\n",
                    "{\"id\":\"r1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
                    "{\"id\":\"r2\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:05:00+08:00\",\"community\":\"C1\",\"call\":\"K1\"}",
                    "{\"id\":\"r3\",\"type\":\"call.answered\",\"at\":\"2026-03-02T12:00:00+08:00\",\"community\":\"C2\",\"call\":\"K2\",\"rings\":1}"));
            server.drain();
            Set<String> before = ids(server.findings(""));
            assertTrue(before.size() >= 3, "missed call, contact warning and violation: " + before);
            server = server.restart(Rules.dir(), "events");
            server.drain();
            assertEquals(3, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS));
            assertEquals(before, ids(server.findings("")));
            assertEquals(before.size(), server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.FINDINGS));
            HttpResponse<String> r = server.post("/api/events",
                    "{\"id\":\"r4\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T13:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\"}");
            assertEquals(1, TestServer.json(r).get("accepted"), "the rebuilt state knows ticket T1: " + r.body());
        } finally {
            server.close();
        }
    }

    static Set<String> ids(List<Map<String, Object>> findings) {
        return findings.stream().map(f -> (String) f.get("id")).collect(Collectors.toSet());
    }
}
