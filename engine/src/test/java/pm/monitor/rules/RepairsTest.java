package pm.monitor.rules;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.assertFinding;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Scenario;

/** rules/repairs/dispatch-arrival.drl and rules/repairs/callback.drl */
class RepairsTest {
    private static String repair(String urgency) {
        return "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"urgency\":\"" + urgency + "\"";
    }

    @Test
    @DisplayName("VK 派单: emergency information is dispatched within 5 minutes")
    void emergencyDispatch() {
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", repair("emergency")))
                .clockAt("2026-03-02T09:04:00+08:00");
        assertTrue(s.findings("ticket.emergency-dispatch", "violation").isEmpty());
        s.clockAt("2026-03-02T09:05:00+08:00");
        assertFinding(s.only("ticket.emergency-dispatch", "violation"), "R1", "2026-03-02T09:05:00+08:00",
                "2026-03-02T09:05:00+08:00", "supervisor");
    }

    @ParameterizedTest(name = "BJ 报修规程 四.2: {0} repair on site within {1} min of the dispatch")
    @CsvSource({"emergency, 10, 09:11:00, 09:10:00", "special, 15, 09:16:00, 09:15:00", "normal, 40, 09:41:00, 09:40:00"})
    void arrivalByUrgency(String urgency, int minutes, String due, String minuteBefore) {
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", repair(urgency)),
                on("R1", "ticket.dispatched", "2026-03-02T09:01:00+08:00", "\"to\":\"engineering\""))
                .clockAt("2026-03-02T" + minuteBefore + "+08:00");
        assertTrue(s.findings("repair.arrival", "violation").isEmpty(), urgency + " " + minutes);
        s.clockAt("2026-03-02T" + due + "+08:00");
        assertFinding(s.only("repair.arrival", "violation"), "R1", "2026-03-02T" + due + "+08:00",
                "2026-03-02T" + due + "+08:00", "engineering");
    }

    @Test
    @DisplayName("BJ 报修规程 四.2: a repair never dispatched is held to its limit from receipt")
    void arrivalWithoutDispatch() {
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", repair("normal")))
                .clockAt("2026-03-02T09:40:00+08:00");
        assertFinding(s.only("repair.arrival", "violation"), "R1", "2026-03-02T09:40:00+08:00",
                "2026-03-02T09:40:00+08:00", "engineering");
    }

    @Test
    @DisplayName("BJ 报修规程 四.2: a visit time agreed with the owner replaces the limit")
    void agreedVisitTime() {
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", repair("normal")),
                on("R1", "ticket.contacted", "2026-03-02T09:10:00+08:00", "\"arriveBy\":\"2026-03-02T18:00:00+08:00\""))
                .clockAt("2026-03-02T17:59:00+08:00");
        assertTrue(s.findings("repair.arrival", "violation").isEmpty());
        s.clockAt("2026-03-02T18:00:00+08:00");
        assertFinding(s.only("repair.arrival", "violation"), "R1", "2026-03-02T18:00:00+08:00",
                "2026-03-02T18:00:00+08:00", "engineering");
    }

    @Test
    @DisplayName("BJ 报修规程 四.4: an in-home repair is called back within 24 h of being done")
    void callback() {
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", repair("normal")),
                on("R1", "ticket.arrived", "2026-03-02T09:30:00+08:00", ""),
                on("R1", "ticket.resolved", "2026-03-02T10:00:00+08:00", ""))
                .clockAt("2026-03-03T09:59:00+08:00");
        assertTrue(s.findings("repair.callback", "violation").isEmpty());
        s.clockAt("2026-03-03T10:00:00+08:00");
        assertFinding(s.only("repair.callback", "violation"), "R1", "2026-03-03T10:00:00+08:00",
                "2026-03-03T10:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("BJ 报修规程 四.4 \"入户维修\": a repair in common areas is not called back; one at home (or with a household and no location) is")
    void callbackOnlyInHomes() {
        for (String location : List.of("home", "public", "")) {
            String fields = "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-101\""
                    + (location.isEmpty() ? "" : ",\"location\":\"" + location + "\"");
            Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", fields),
                    on("R1", "ticket.dispatched", "2026-03-02T09:05:00+08:00", "\"to\":\"engineering\""),
                    on("R1", "ticket.arrived", "2026-03-02T09:20:00+08:00", ""),
                    on("R1", "ticket.resolved", "2026-03-02T10:00:00+08:00", ""))
                    .clockAt("2026-03-03T09:59:00+08:00");
            assertTrue(s.findings("repair.callback", "violation").isEmpty(), location);
            s.clockAt("2026-03-03T10:00:00+08:00");
            if (location.equals("public")) {
                assertTrue(s.findings("repair.callback").isEmpty(), "a lobby light is not 入户");
            } else {
                assertFinding(s.only("repair.callback", "violation"), "R1", "2026-03-03T10:00:00+08:00",
                        "2026-03-03T10:00:00+08:00", "supervisor");
            }
        }
    }
}
