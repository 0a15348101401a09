package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.KafkaBroker;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * {@code POST /api/clock} on one instance of a cluster moves every instance's communities: a
 * deadline passes in each community, whichever instance owns it.
 */
@Tag("process")
class ClusterClockTest {
    private static final int COMMUNITIES = 8;

    @Test
    @DisplayName("the clock moved on one instance of two: CODE 4.4.1's 2 h deadline passes in every community, and both list every community")
    @SuppressWarnings("unchecked")
    void clockMovesEveryInstance() {
        String db = TestDatabase.freshSchemaUrl();
        try (KafkaBroker kafka = KafkaBroker.start()) {
            List<TestServer> servers = new ArrayList<>();
            try {
                Instances.start(2, db, kafka.bootstrap(), servers);
                StringBuilder events = new StringBuilder();
                for (int i = 1; i <= COMMUNITIES; i++) {
                    events.append("{\"id\":\"k").append(i).append("\",\"type\":\"ticket.received\",")
                            .append("\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"K").append(i)
                            .append("\",\"ticket\":\"T").append(i).append("\",\"kind\":\"complaint\",")
                            .append("\"channel\":\"phone\",\"household\":\"1-1-10").append(i)
                            .append("\",\"category\":\"environment\",\"receivedBy\":\"a1\"}\n");
                }
                assertEquals(200, servers.get(0).post("/api/events", events.toString()).statusCode());
                TestServer.await("the events stored", Duration.ofSeconds(30), () -> servers.get(0).app().database()
                        .dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS) == COMMUNITIES);
                EventTopic topic = EventTopic.ensure(kafka.bootstrap());
                Set<Integer> first = servers.get(0).app().owner().owned();
                Set<String> elsewhere = new HashSet<>();
                for (int i = 1; i <= COMMUNITIES; i++) {
                    if (!first.contains(topic.partitionOf("K" + i))) {
                        elsewhere.add("K" + i);
                    }
                }
                assertTrue(!elsewhere.isEmpty(), "some communities owned by the other instance");

                var r = servers.get(0).post("/api/clock", "{\"until\":\"2026-03-02T11:00:00+08:00\"}");
                assertEquals(200, r.statusCode(), r.body());
                TestServer.await("a contact-2h violation in each community (" + elsewhere + " owned by the other)",
                        Duration.ofSeconds(20), () ->
                        servers.get(0).app().database().dsl().fetchOne("SELECT count(DISTINCT community) FROM findings "
                                + "WHERE rule = 'complaint.contact-2h' AND kind = 'violation'").get(0, Long.class) == COMMUNITIES);


                // the dashboard's directory (and with it the overview and the scheduled reports) from
                // either instance: every community, and the cluster's clock as its "as of"
                // (the list of stored communities is read again every 5 s)
                for (TestServer s : servers) {
                    TestServer.await("every community on " + s.url(""), Duration.ofSeconds(15), () -> {
                        Map<String, Object> dir = TestServer.json(s.get("/api/dashboard/communities"));
                        Set<Object> codes = new HashSet<>();
                        ((List<Map<String, Object>>) dir.get("items")).forEach(c -> codes.add(c.get("community")));
                        return codes.size() == COMMUNITIES;
                    });
                    assertEquals("2026-03-02T03:00:00Z", TestServer.json(s.get("/api/dashboard/communities")).get("asOf"));
                }
            } finally {
                for (TestServer s : servers) {
                    s.close();
                }
            }
        }
    }
}
