package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertServiceTest.finding;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.store.DeliveryStore;

/**
 * Issue 19.3: the general manager hears of what climbed to it once a day (digest.general_manager,
 * 08:00), not once per escalation; an emergency (a collective complaint) still reaches the GM at
 * once. The digest is made once per day, however often the clock ticks.
 */
class DigestTest {

    private static List<DeliveryStore.Delivery> toGm(AlertHarness h) {
        return h.alerts.deliveries().query(new DeliveryStore.Filter(null, null, null, "general_manager"), 100, 0);
    }

    @Test
    @DisplayName("an unacknowledged alert climbs to the GM without a message; the 08:00 digest lists it; a collective complaint is messaged at once")
    @SuppressWarnings("unchecked")
    void dailyDigest() {
        try (AlertHarness h = new AlertHarness(Map.of())) {
            h.roster("*", "general_manager", "总经理群", "webhook", "http://127.0.0.1:9/gm", null);
            h.found(finding("complaint.repeat", "alert", "C001", "1-1-101/environment", "2026-03-02T10:00:00+08:00",
                    "supervisor", Map.of("household", "1-1-101", "category", "environment")));
            h.clockAt("2026-03-02T10:05:00+08:00");
            h.clockAt("2026-03-02T10:35:00+08:00");
            h.clockAt("2026-03-02T11:05:00+08:00");
            h.clockAt("2026-03-02T11:35:00+08:00");
            h.clockAt("2026-03-02T12:00:00+08:00");
            String alert = h.alerts.store().query(new pm.monitor.store.AlertStore.Filter(null, null, null,
                    "complaint.repeat", null, null), 1, 0).get(0).id;
            assertEquals("general_manager", h.alerts.store().group(alert).currentRole, "it climbed to the GM");
            assertEquals(List.of(), toGm(h), "but the GM was not messaged");

            // an emergency: a collective complaint to the centre manager, escalated to the GM at once
            h.found(finding("complaint.collective", "alert", "C001", "INC-1", "2026-03-02T13:00:00+08:00",
                    "centre_manager", Map.of("incident", "INC-1", "tickets", List.of("T1", "T2"))));
            h.clockAt("2026-03-02T13:00:00+08:00");
            h.clockAt("2026-03-02T13:30:00+08:00");
            h.clockAt("2026-03-02T14:00:00+08:00");
            assertTrue(toGm(h).stream().anyMatch(d -> !d.alertId().startsWith("digest-")), "the collective complaint reached the GM");

            h.clockAt("2026-03-03T07:59:00+08:00");
            assertTrue(toGm(h).stream().noneMatch(d -> d.alertId().startsWith("digest-")));
            h.clockAt("2026-03-03T08:00:00+08:00");
            h.clockAt("2026-03-03T09:00:00+08:00");
            List<DeliveryStore.Delivery> digest = toGm(h).stream().filter(d -> d.alertId().equals("digest-general_manager-2026-03-03"))
                    .toList();
            assertEquals(List.of("dashboard", "webhook"), digest.stream().map(DeliveryStore.Delivery::channel).sorted().toList(),
                    "one digest per destination, once");
            Map<String, Object> body = (Map<String, Object>) Json.parse(h.alerts.deliveries().get(digest.get(0).id()).payload());
            assertTrue(String.valueOf(body.get("text")).contains("重复投诉"), body.toString());
            assertEquals(1, ((Number) body.get("count")).intValue(), "the emergency is not in the digest: it was sent");
        }
    }
}
