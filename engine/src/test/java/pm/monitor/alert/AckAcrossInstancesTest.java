package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static pm.monitor.alert.AlertHarness.complaint;
import static pm.monitor.alert.AlertHarness.t;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * In a cluster the alerts' leader decides on an alert while any instance may take its
 * acknowledgement: a decision made from a read taken before the acknowledgement was stored must
 * not write over it (one instance's lock cannot order them; the row's lock does).
 */
class AckAcrossInstancesTest {

    @Test
    @DisplayName("An escalation decided on a read older than the acknowledgement leaves the acknowledged alert as it is")
    void staleDecisionDoesNotUndoAnAck() {
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "violation", "escalate.kinds", "violation"))) {
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", null));
            h.clockAt("2026-03-02T11:05:00+08:00"); // T1's violation (11:00) sent to the supervisor
            Group read = h.alerts.store().due(t("2026-03-02T11:35:00+08:00"), 10).get(0);
            assertEquals(AlertStatus.SENT, read.status());

            // the acknowledgement, taken by another instance after the leader read the alert as due
            assertEquals(AlertService.AckResult.ACKED, h.alerts.ack(read.id, "王主管", t("2026-03-02T11:20:00+08:00")));

            Notifier notifier = new Notifier(h.alerts.roster(), h.alerts::parameters, h.alerts::templates,
                    new Links(h.alerts::parameters), new CommunityNames(h.alerts.store(), Clock.systemUTC()), Clock.systemUTC());
            Pipeline leader = new Pipeline(h.alerts.store(), h.alerts.silences(), h.alerts::parameters, notifier,
                    new Resolutions(h.alerts.store(), notifier, h.alerts::parameters));
            leader.decide(read, t("2026-03-02T09:00:00+08:00"));

            Group now = h.alerts.store().group(read.id);
            assertEquals(AlertStatus.ACKED, now.status(), "still acknowledged");
            assertEquals("王主管", now.ackedBy);
            assertEquals(0, now.escalation, "not escalated");
            assertFalse(h.alerts.store().logged(read.id, "escalated"), "no escalation logged");
        }
    }
}
