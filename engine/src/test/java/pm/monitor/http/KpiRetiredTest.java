package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * A day's KPI values leave memory 62 days after the day (README "Retention"); the API still
 * answers them, from PostgreSQL, with the values they had.
 */
@Tag("server")
class KpiRetiredTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> kpis(TestServer server, String period) {
        return (List<Map<String, Object>>) TestServer.json(server.get("/api/kpis?community=C1,*&period=" + period)).get("items");
    }

    @Test
    @DisplayName("a retired day's KPIs are still answered by /api/kpis, with the same values, the company total included")
    void retiredDayIsReadBackFromTheStore() {
        try (TestServer server = TestServer.start("events")) {
            var r = server.post("/api/events", String.join("\n",
                    "{\"id\":\"k1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\","
                            + "\"ticket\":\"T1\",\"kind\":\"inquiry\",\"channel\":\"phone\",\"receivedBy\":\"a1\"}",
                    "{\"id\":\"k2\",\"type\":\"ticket.replied\",\"at\":\"2026-03-02T09:30:00+08:00\",\"community\":\"C1\","
                            + "\"ticket\":\"T1\",\"by\":\"a1\",\"method\":\"phone\"}",
                    "{\"id\":\"k3\",\"type\":\"ticket.closed\",\"at\":\"2026-03-02T10:00:00+08:00\",\"community\":\"C1\","
                            + "\"ticket\":\"T1\",\"by\":\"a1\"}"));
            assertEquals(3, TestServer.json(r).get("accepted"), r.body());
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T00:00:00+08:00\"}").statusCode());
            server.drain();
            List<Map<String, Object>> before = kpis(server, "2026-03-02");
            assertFalse(before.isEmpty(), "the day has KPI values");
            assertTrue(before.stream().anyMatch(k -> k.get("community").equals("*")), before.toString());

            // Two and a half months of event time later the day is retired from memory. (A jump
            // that far ahead of the community's clock is made with the clock first: an event alone
            // that far ahead is refused as a wrong date, --max-ahead.)
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-05-15T08:00:00+08:00\"}").statusCode());
            var later = server.post("/api/events", "{\"id\":\"k4\",\"type\":\"call.missed\",\"at\":\"2026-05-15T09:00:00+08:00\","
                    + "\"community\":\"C1\",\"call\":\"K1\",\"line\":\"400\"}");
            assertEquals(1, TestServer.json(later).get("accepted"), later.body());
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-05-16T00:00:00+08:00\"}").statusCode());
            server.drain();
            TestServer.await("the day retired", Duration.ofSeconds(10), () -> server.app().board().retired("2026-03-02"));
            TestServer.await("the retired day answered from the store", Duration.ofSeconds(10),
                    () -> kpis(server, "2026-03-02").size() == before.size());
            assertEquals(strip(before), strip(kpis(server, "2026-03-02")));
        }
    }

    /** The values, without the breakdown a retired value does not keep. */
    private static List<String> strip(List<Map<String, Object>> kpis) {
        return kpis.stream().map(k -> k.get("kpi") + "|" + k.get("community") + "|" + k.get("period") + "="
                + k.get("numerator") + "/" + k.get("denominator") + " " + k.get("value") + " " + k.get("met")).sorted().toList();
    }
}
