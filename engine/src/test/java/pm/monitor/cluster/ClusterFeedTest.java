package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.support.KafkaBroker;

/**
 * Issue 19's resolved notices in a cluster: a KPI is counted on the instance that owns its
 * community, its alert is resolved by the alerts' leader, which may run elsewhere. The recovery
 * travels on the findings topic to every instance, as it was (value, counts, event time), and is
 * not shown on the live stream as if it were a finding. Likewise the alerts' live stream: the
 * leader sends the messages, any instance takes acknowledgements, and a manager's page may be
 * connected to any instance.
 */
@Tag("slow")
class ClusterFeedTest {

    @Test
    @DisplayName("a KPI recovery and an alert message sent by one instance reach every instance, unchanged, and not as findings")
    void recoveryAndAlertMessagesReachEveryInstance() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            EventTopic.ensure(kafka.bootstrap());
            List<String> streamA = new CopyOnWriteArrayList<>();
            List<String> streamB = new CopyOnWriteArrayList<>();
            List<KpiRecovered> alertsA = new CopyOnWriteArrayList<>();
            List<KpiRecovered> alertsB = new CopyOnWriteArrayList<>();
            List<String> inboxA = new CopyOnWriteArrayList<>();
            List<String> inboxB = new CopyOnWriteArrayList<>();
            try (FindingFeed a = new FindingFeed(kafka.bootstrap(), "a", streamA::add, ids -> { }, alertsA::addAll, inboxA::add);
                 FindingFeed b = new FindingFeed(kafka.bootstrap(), "b", streamB::add, ids -> { }, alertsB::addAll, inboxB::add)) {
                KpiRecovered back = new KpiRecovered("kpi.satisfaction", "C001", "2026-03", 6.0 / 7, 6, 7, 0.85,
                        Instant.parse("2026-03-10T00:46:00Z"));
                a.sendRecovered(List.of(back));
                long end = System.nanoTime() + 30_000_000_000L;
                while ((alertsA.isEmpty() || alertsB.isEmpty()) && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertEquals(List.of(back), alertsB, "the other instance (it may lead the alerts)");
                assertEquals(List.of(back), alertsA, "this instance too (it may lead, or take over)");
                assertTrue(streamA.isEmpty() && streamB.isEmpty(), "not a finding: " + streamA + streamB);
                assertTrue(inboxA.isEmpty() && inboxB.isEmpty(), "not an alert message: " + inboxA + inboxB);

                // the leader's message (or an acknowledgement on any instance) reaches every
                // instance's alerts stream, as it was, and no findings stream
                String message = "{\"type\":\"ack\",\"alertId\":\"a1\",\"by\":\"王主管\",\"community\":\"C001\"}";
                b.sendAlert(message);
                end = System.nanoTime() + 30_000_000_000L;
                while ((inboxA.isEmpty() || inboxB.isEmpty()) && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertEquals(List.of(message), inboxA, "the instance a manager's page is connected to");
                assertEquals(List.of(message), inboxB);
                assertTrue(streamA.isEmpty() && streamB.isEmpty(), "not a finding: " + streamA + streamB);
            }
        }
    }
}
