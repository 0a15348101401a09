package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.store.schema.Tables.EVENTS;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.HostileCorpus;
import pm.monitor.support.HostileCorpus.Batch;
import pm.monitor.support.HostileCorpus.Expect;
import pm.monitor.support.HostileCorpus.Line;
import pm.monitor.support.TestServer;

/**
 * Over 10,000 malformed and hostile lines, interleaved with good events, posted in batches to
 * a real service on a real PostgreSQL: every line gets its answer, the good ones are stored,
 * and the service never fails a request because of what one line held.
 */
@Tag("server")
class HostileInputTest {
    private static final long SEED = 20261204L;

    @Test
    @DisplayName("Every hostile line is answered by line and field, the good lines around it are stored, the service stays up")
    @SuppressWarnings("unchecked")
    void hostileCorpus() {
        List<Batch> batches = new HostileCorpus(SEED).batches(100, 105);
        long hostile = batches.stream().mapToLong(b -> b.lines().size() - b.count(Expect.GOOD) - b.count(Expect.BLANK)).sum();
        assertTrue(hostile >= 10_000, "hostile lines: " + hostile);
        try (TestServer server = TestServer.start("events")) {
            long stored = 0;
            List<Line> kept = new ArrayList<>();
            for (int bi = 0; bi < batches.size(); bi++) {
                Batch b = batches.get(bi);
                HttpResponse<String> r = server.post("/api/events", b.body());
                assertTrue(r.statusCode() == 200 || r.statusCode() == 400,
                        "batch " + bi + ": HTTP " + r.statusCode() + " " + HostileParseTestText.abbreviate(r.body()));
                Map<String, Object> body = TestServer.json(r);
                Map<Integer, Map<String, Object>> rejected = new HashMap<>();
                for (Map<String, Object> x : (List<Map<String, Object>>) body.get("rejected")) {
                    assertEquals(null, rejected.put((Integer) x.get("line"), x), "one answer per line: " + x);
                }
                int expectedRejected = 0;
                for (int i = 0; i < b.lines().size(); i++) {
                    Line l = b.lines().get(i);
                    String what = "batch " + bi + " line " + (i + 1) + " (" + l.kind() + "): "
                            + HostileParseTestText.abbreviate(l.text());
                    Map<String, Object> x = rejected.get(i + 1);
                    if (l.expect() == Expect.PARSE || l.expect() == Expect.ADMISSION) {
                        expectedRejected++;
                        assertNotNull(x, "not rejected: " + what);
                        assertEquals(l.field(), x.get("field"), what + " → " + x);
                        assertFalse(String.valueOf(x.get("reason")).isBlank(), what);
                        if (l.expect() == Expect.ADMISSION) {
                            assertEquals(l.id(), x.get("id"), what);
                        }
                    } else {
                        assertEquals(null, x, "rejected: " + what);
                    }
                    if (l.expect() == Expect.KEPT) {
                        kept.add(l);
                    }
                }
                assertEquals(expectedRejected, rejected.size(), "batch " + bi);
                long accepted = b.count(Expect.GOOD) + b.count(Expect.KEPT);
                assertEquals((int) accepted, body.get("accepted"), "batch " + bi);
                assertEquals((int) b.count(Expect.DUPLICATE), body.get("duplicates"), "batch " + bi);
                stored += accepted;
            }

            DSLContext dsl = server.app().database().dsl();
            assertEquals(stored, dsl.fetchCount(EVENTS), "every good line stored, nothing else");
            assertEquals(0, dsl.fetchCount(EVENTS, EVENTS.TICKET.like("GHOST%").or(EVENTS.TICKET.like("PHANTOM%"))),
                    "no event of a ticket never received, and a reused id did not replace what it named");
            for (Line l : kept) {
                String value = dsl.fetchOne("select body ->> {0} from events where id = {1}", DSL.val(l.field()),
                        DSL.val(l.id())).get(0, String.class);
                assertEquals(l.value(), value, l.kind() + " " + l.id() + ": stored as sent");
            }
            assertTrue(kept.size() > 1000, "kept lines checked: " + kept.size());

            HttpResponse<String> health = server.get("/api/health");
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("ok", TestServer.json(health).get("status"));
            assertEquals(stored, ((Number) TestServer.json(health).get("events")).longValue());

            String tooBig = "x".repeat((16 << 20) + 1);
            HttpResponse<String> big = server.post("/api/events", tooBig);
            assertEquals(413, big.statusCode(), HostileParseTestText.abbreviate(big.body()));
            assertTrue(String.valueOf(TestServer.json(big).get("error")).contains("smaller batches"), big.body());

            // JSON arrays whose elements are too deep or badly formed: an answer, never a 5xx
            for (String array : List.of(
                    "[{\"id\":\"x\",\"deep\":" + "[".repeat(500) + "]".repeat(500) + "}]",
                    "[{\"id\":\"x\",\"rings\":" + "9".repeat(5000) + "}]",
                    "[{\"id\":\"y\",\"id\":\"z\",\"more\":{\"a\":[1]}},{\"also\":1}]",
                    "[{\"id\":\"n\",\"note\":\"\\u0000\"}]",
                    "[1,", "[{\"id\":", "[\"\\ud800\"]")) {
                HttpResponse<String> a = server.post("/api/events", array);
                assertEquals(400, a.statusCode(), HostileParseTestText.abbreviate(array) + " → " + a.body());
            }
            HttpResponse<String> after = server.get("/api/health");
            assertEquals(200, after.statusCode(), after.body());
            assertEquals(stored, dsl.fetchCount(EVENTS));
        }
    }

    /** The parser test's abbreviation, reachable from this package. */
    static final class HostileParseTestText {
        static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " characters)";
        }
    }
}
