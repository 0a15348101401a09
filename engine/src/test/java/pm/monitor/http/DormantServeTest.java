package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.engine.DormantTicketTest;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/**
 * Issue 17.16 in the running service: an open ticket untouched for 180 days leaves the engine's
 * memory with a ticket.dormant finding, stays out across a restart, and its next event brings
 * it back from the event store; the findings are the offline replay's.
 */
@Tag("server")
class DormantServeTest {
    @Test
    @DisplayName("serve: T1 leaves memory with a ticket.dormant finding, a restart keeps it out, its October event brings it back from the store; findings = replay")
    void leavesAndComesBackFromTheStore() throws Exception {
        List<String> events = DormantTicketTest.events();
        String october = events.get(events.size() - 1);
        // the clock moves a month at a time here: more than the 30 days an event may be ahead by default
        java.util.function.UnaryOperator<pm.monitor.app.Config> monthly =
                c -> c.withAhead(c.futureTolerance(), java.time.Duration.ofDays(400));
        TestServer server = TestServer.start("events", monthly);
        try {
            HttpResponse<String> r = server.post("/api/events", String.join("\n", events.subList(0, events.size() - 1)));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(List.of(), TestServer.json(r).get("rejected"));
            server.drain();
            assertNull(server.app().monitor().withEngine("C001", e -> e.tracker().ticket("T1")).join(), "out of memory");
            List<Map<String, Object>> dormant = server.findings("rule=ticket.dormant");
            assertEquals(1, dormant.size(), dormant.toString());
            assertEquals("T1", dormant.get(0).get("subject"));

            String db = server.dbUrl();
            server.close();
            server = TestServer.start(db, Rules.dir(), "events", monthly);
            assertNull(server.app().monitor().withEngine("C001", e -> e.tracker().ticket("T1")).join(),
                    "the start-up rebuild leaves it out too");
            assertNotNull(server.app().monitor().withEngine("C001", e -> e.tracker().dormant("T1")).join());

            r = server.post("/api/events", october);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, ((Number) TestServer.json(r).get("accepted")).intValue(), r.body());
            assertEquals(List.of(), TestServer.json(r).get("rejected"));
            assertEquals(200, server.post("/api/clock", "{\"until\":\"" + DormantTicketTest.UNTIL + "\"}").statusCode());
            server.drain();
            assertNotNull(server.app().monitor().withEngine("C001", e -> e.tracker().ticket("T1")).join(), "back");

            TreeSet<String> live = server.findings("").stream()
                    .map(f -> f.get("rule") + " " + f.get("kind") + " " + f.get("subject") + " "
                            + OffsetDateTime.parse((String) f.get("at")).toInstant())
                    .collect(Collectors.toCollection(TreeSet::new));
            pm.monitor.engine.Replay.Parsed parsed = pm.monitor.engine.Replay.read(
                    new java.io.BufferedReader(new java.io.StringReader(String.join("\n", events))), 1);
            TreeSet<String> replayed = DormantTicketTest.ids(new pm.monitor.engine.Replay(Rules.real(), 1)
                    .run(parsed.inputs(), OffsetDateTime.parse(DormantTicketTest.UNTIL).toInstant(), null).findings());
            assertEquals(replayed, live);
            assertTrue(live.contains("complaint.dissatisfied violation T1 "
                    + OffsetDateTime.parse("2026-10-09T10:00:00+08:00").toInstant()), live.toString());
        } finally {
            server.close();
        }
    }
}
