package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertHarness.complaint;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.store.FindingStore;

/**
 * In a cluster the alerts' leader hears of other instances' findings through the findings topic;
 * one whose instance died between storing it and feeding it is in the store only. The leader's
 * sweep of recent unrouted findings routes it; one already routed is not routed again.
 */
class SweepTest {

    @Test
    @DisplayName("A violation stored but never handed to the alerts is alerted on after the sweep, once")
    void storedButNeverRoutedIsSwept() {
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "violation"))) {
            // the instance that owns C001 finds T1's contact-2h violation and dies before handing it on
            h.alerts.pause();
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", null));
            h.clockAt("2026-03-02T11:00:00+08:00");
            List<Finding> violations = h.findings.stream().filter(f -> f.kind().equals("violation")).toList();
            assertTrue(!violations.isEmpty(), "a violation: " + h.findings);
            new FindingStore(h.db.dsl()).insert(h.findings);

            // the leader, another instance on the same database, never heard of it
            AlertService leader = new AlertService(h.db.dsl(), Clock.systemUTC(), null, m -> { });
            try {
                leader.tick(AlertHarness.t("2026-03-02T11:05:00+08:00"));
                assertEquals(Map.of(), leader.store().countItems(), "nothing routed without the sweep");

                assertEquals(violations.size(), leader.sweep(Duration.ofMinutes(10), Duration.ZERO));
                leader.tick(AlertHarness.t("2026-03-02T11:06:00+08:00"));
                assertEquals(violations.size(), leader.store().countItems().get("supervisor")[0], "routed after the sweep");
                assertEquals(0, leader.sweep(Duration.ofMinutes(10), Duration.ZERO), "routed: not swept again");
            } finally {
                leader.close();
            }
        }
    }
}
