package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.support.KafkaBroker;
import pm.monitor.support.Receiver;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * Alerts in a cluster of three on Kafka: every instance stores findings, but one instance (the
 * holder of the alerts' lock in PostgreSQL) groups them, decides on the alerts' timers and sends
 * the outbox, so each message reaches its receiver once; when that instance goes, another takes
 * over and the next escalation is sent once too.
 */
@Tag("process")
class ClusterAlertsTest {
    /** Communities spread over the partitions, so that all three instances own some. */
    private static final int COMMUNITIES = 9;

    @Test
    @DisplayName("three instances, one alert clock: each notice and each escalation delivered once, before and after the leader goes")
    void oneDeliveryPerMessage() throws Exception {
        String db = TestDatabase.freshSchemaUrl();
        try (KafkaBroker kafka = KafkaBroker.start(); Receiver receiver = new Receiver()) {
            List<TestServer> servers = new ArrayList<>();
            try {
                Instances.start(3, db, kafka.bootstrap(), servers);
                TestServer any = servers.get(0);
                for (String[] r : new String[][] {{"supervisor", "/sup"}, {"centre_manager", "/cm"},
                        {"project_manager", "/pm"}}) {
                    var res = any.request("POST", "/api/roster", Json.write(Map.of("community", "*", "role", r[0],
                            "name", "值班 " + r[0], "channel", "webhook", "address", receiver.url(r[1]))),
                            "Content-Type", "application/json");
                    assertEquals(201, res.statusCode(), res.body());
                }
                var set = any.request("PUT", "/api/alerts/settings", "{\"route.kinds\":\"alert, violation\","
                        + "\"escalate.kinds\":\"alert, violation\",\"by\":\"test\"}", "Content-Type", "application/json");
                assertEquals(200, set.statusCode(), set.body());

                // a complaint in each community at 09:00, nobody contacts the owner: a violation at 11:00
                StringBuilder events = new StringBuilder();
                for (int i = 1; i <= COMMUNITIES; i++) {
                    events.append("{\"id\":\"c").append(i).append("\",\"type\":\"ticket.received\",")
                            .append("\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"S").append(i)
                            .append("\",\"ticket\":\"T").append(i).append("\",\"kind\":\"complaint\",")
                            .append("\"channel\":\"phone\",\"household\":\"1-1-10").append(i)
                            .append("\",\"category\":\"environment\",\"receivedBy\":\"a1\"}\n");
                }
                var posted = servers.get(1).post("/api/events", events.toString());
                assertEquals(200, posted.statusCode(), posted.body());
                TestServer.await("the events stored", Duration.ofSeconds(30), () ->
                        any.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS) == COMMUNITIES);
                java.util.Set<Integer> owners = new java.util.HashSet<>();
                for (int i = 0; i < servers.size(); i++) {
                    for (int c = 1; c <= COMMUNITIES; c++) {
                        if (servers.get(i).app().owner().owned().contains(
                                EventTopic.ensure(kafka.bootstrap()).partitionOf("S" + c))) {
                            owners.add(i);
                        }
                    }
                }
                assertEquals(2, Math.min(2, owners.size()), "the communities are spread over the instances");

                // the violations' window closes at 11:05: each goes to the supervisor once
                clock(servers, "2026-03-02T11:05:00+08:00");
                receiver.await("a notice per community", COMMUNITIES, r -> r.path().equals("/sup"));
                settle(receiver);
                int notices = assertOnce(receiver, any);

                // acknowledged on an instance that does not lead: that alert climbs no further
                String acked = (String) receiver.received("/sup").get(0).json().get("alert");
                TestServer follower = servers.stream().filter(s -> !s.app().leading()).findFirst().orElseThrow();
                var ack = follower.request("POST", "/api/alerts/" + acked + "/ack", "{\"by\":\"值班 supervisor\"}",
                        "Content-Type", "application/json");
                assertEquals(200, ack.statusCode(), ack.body());

                // the instance that sends goes; the others take over its clock and its outbox
                TestServer leader = servers.stream().filter(s -> s.app().leading()).findFirst().orElse(null);
                assertNotNull(leader, "one instance leads the alerts");
                assertEquals(1, servers.stream().filter(s -> s.app().leading()).count(), "only one leads");
                leader.close();
                long stopped = System.nanoTime();
                servers.remove(leader);
                TestServer.await("another instance leads the alerts", Duration.ofSeconds(30), () ->
                        servers.stream().filter(s -> s.app().leading()).count() == 1);
                System.out.printf("cluster alerts: another instance leads %d ms after the leader stopped%n",
                        (System.nanoTime() - stopped) / 1_000_000);

                // not acknowledged within 30 min: the centre manager hears of each at 11:35, once
                clock(servers, "2026-03-02T11:35:00+08:00");
                receiver.await("an escalation per community", COMMUNITIES, r -> r.path().equals("/cm"));
                settle(receiver);
                var log = servers.get(0);
                int all = assertOnce(receiver, log);
                System.out.printf("cluster alerts: %d messages before the leader went, %d after, each delivered once%n",
                        notices, all - notices);
                Map<String, Integer> sent = new HashMap<>();
                log.app().database().dsl().fetch("SELECT alert_id, action FROM alert_log WHERE action IN "
                                + "('sent', 'escalated')")
                        .forEach(r -> sent.merge(r.get(0, String.class) + " " + r.get(1, String.class), 1, Integer::sum));
                assertTrue(sent.keySet().stream().filter(k -> k.endsWith(" escalated")).count() >= COMMUNITIES,
                        "an escalation in each community: " + sent.keySet());
                assertTrue(!sent.containsKey(acked + " escalated"), "the acknowledged alert escalated");
                assertTrue(receiver.received("/cm").stream().noneMatch(r -> acked.equals(r.json().get("alert"))));
                sent.values().removeIf(n -> n == 1);
                assertEquals(Map.of(), sent, "an alert sent or escalated twice");
            } finally {
                for (TestServer s : servers) {
                    s.close();
                }
            }
        }
    }

    /**
     * Moves the event clock there ({@code POST /api/clock}) on an instance that does not lead: the
     * move reaches the others, the leader's alert clock with it.
     */
    private static void clock(List<TestServer> servers, String until) {
        TestServer follower = servers.stream().filter(s -> !s.app().leading()).findFirst().orElseThrow();
        var r = follower.post("/api/clock", "{\"until\":\"" + until + "\"}");
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Waits until the receiver has heard nothing new for two seconds (a copy would come within that). */
    private static void settle(Receiver receiver) throws InterruptedException {
        int n = -1;
        while (n != receiver.received().size()) {
            n = receiver.received().size();
            Thread.sleep(2000);
        }
    }

    /** Every message queued in the outbox reached the receiver once; returns how many. */
    private static int assertOnce(Receiver receiver, TestServer any) {
        Map<String, Long> keys = receiver.received().stream()
                .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
        Map<String, Long> twice = new HashMap<>(keys);
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, "messages delivered more than once");
        int queued = any.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.DELIVERIES,
                pm.monitor.store.schema.Tables.DELIVERIES.CHANNEL.eq("webhook"));
        assertEquals(queued, keys.size(), "every message queued was delivered: " + keys.keySet());
        return keys.size();
    }
}
