package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertServiceTest.finding;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;

/**
 * Issue 19.3, the repeat stage: a KPI below target is one alert per KPI and period, updated in
 * place as it falls again (C0009 kpi.response April made 4 alerts in 2 days, each climbing to
 * the GM); anything else about the same subject joins its alert for {@code repeat.interval}.
 */
class AlertRepeatTest {

    private static Map<String, Object> kpi(String period, double value) {
        return Map.of("kpi", "kpi.response", "period", period, "value", value, "target", 1.0, "numerator", 19,
                "denominator", 20);
    }

    private static List<Group> alerts(AlertHarness h, String rule) {
        return h.alerts.store().query(new AlertStore.Filter("C001", null, null, rule, null, null), 100, 0);
    }

    private static long messages(AlertHarness h, String alert) {
        return h.alerts.deliveries().query(new DeliveryStore.Filter(alert, null, "dashboard", null), 100, 0).size();
    }

    @Test
    @DisplayName("kpi.response under target four times in April: one alert, one message, updated with each new value")
    void kpiFallsAgainInThePeriod() {
        try (AlertHarness h = new AlertHarness(Map.of())) {
            h.found(finding("kpi.response", "alert", "C001", "2026-04", "2026-04-01T10:00:00+08:00", "supervisor",
                    kpi("2026-04", 0.95)));
            h.clockAt("2026-04-01T10:10:00+08:00");
            h.found(finding("kpi.response", "alert", "C001", "2026-04", "2026-04-01T15:00:00+08:00", "supervisor",
                    kpi("2026-04", 0.96)));
            h.clockAt("2026-04-01T15:10:00+08:00");
            h.found(finding("kpi.response", "alert", "C001", "2026-04", "2026-04-02T09:00:00+08:00", "supervisor",
                    kpi("2026-04", 0.97)));
            h.found(finding("kpi.response", "alert", "C001", "2026-04", "2026-04-02T16:00:00+08:00", "supervisor",
                    kpi("2026-04", 0.98)));
            h.clockAt("2026-04-03T00:00:00+08:00");
            List<Group> april = alerts(h, "kpi.response");
            assertEquals(1, april.size(), "one alert for kpi.response of April");
            String id = april.get(0).id;
            assertEquals(4, h.alerts.store().items(id).size(), "each new value is in it");
            assertEquals(1, h.alerts.store().log(id).stream().filter(e -> e.action().equals("sent")).count());
            assertEquals(3, h.alerts.store().log(id).stream().filter(e -> e.action().equals("updated")).count());
            assertTrue(messages(h, id) <= 1 + h.alerts.store().log(id).stream().filter(e -> e.action().equals("escalated")).count(),
                    "no message but the first and its escalations");

            // May is another period: another alert
            h.found(finding("kpi.response", "alert", "C001", "2026-05", "2026-05-01T10:00:00+08:00", "supervisor",
                    kpi("2026-05", 0.9)));
            h.clockAt("2026-05-01T10:10:00+08:00");
            assertEquals(2, alerts(h, "kpi.response").size());
        }
    }

    @Test
    @DisplayName("the same ticket and rule again within repeat.interval joins its alert; after it, a new alert is sent")
    void repeatInterval() {
        try (AlertHarness h = new AlertHarness(Map.of("repeat.interval", "4h"))) {
            h.found(finding("complaint.assist-progress", "violation", "C001", "T1", "2026-03-02T09:00:00+08:00",
                    "supervisor", Map.of("ticket", "T1")));
            h.clockAt("2026-03-02T09:10:00+08:00");
            h.found(finding("complaint.assist-progress", "violation", "C001", "T1", "2026-03-02T12:59:00+08:00",
                    "supervisor", Map.of("ticket", "T1", "cycle", 2)));
            h.clockAt("2026-03-02T13:10:00+08:00");
            assertEquals(1, alerts(h, "complaint.assist-progress").size(), "3 h 59 min later: the same alert");
            h.found(finding("complaint.assist-progress", "violation", "C001", "T1", "2026-03-02T13:00:00+08:00",
                    "supervisor", Map.of("ticket", "T1", "cycle", 3)));
            h.clockAt("2026-03-02T13:20:00+08:00");
            assertEquals(2, alerts(h, "complaint.assist-progress").size(), "4 h later: sent again");
        }
    }
}
