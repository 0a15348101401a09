package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.assertFinding;
import static pm.monitor.support.Scenario.event;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Scenario;

/** rules/patrols/daily.drl (environment, review) and rules/patrols/issues.drl */
class PatrolsTest {

    @Test
    @DisplayName("BJ 环境专员 5: one environment inspection a day from the first whole day after registration")
    void environmentDaily() {
        Scenario s = new Scenario().given(event("community.registered", "2026-03-02T10:00:00+08:00", "\"name\":\"花园\""))
                .clockAt("2026-03-03T23:59:00+08:00");
        assertTrue(s.findings("patrol.environment-daily", "violation").isEmpty());
        s.clockAt("2026-03-04T00:00:00+08:00");
        assertFinding(s.only("patrol.environment-daily", "violation"), "2026-03-03", "2026-03-04T00:00:00+08:00",
                "2026-03-04T00:00:00+08:00", "centre_manager");
        s.given(event("patrol.completed", "2026-03-04T10:00:00+08:00", "\"patrol\":\"E1\",\"kind\":\"environment\""));
        s.clockAt("2026-03-05T00:00:00+08:00");
        assertTrue(s.findings("patrol.environment-daily", "violation").size() == 1, "03-04 was inspected");
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.9: a day's patrol records are signed by the end of the next day")
    void reviewed() {
        Scenario s = new Scenario().given(event("patrol.completed", "2026-03-02T10:00:00+08:00",
                "\"patrol\":\"P1\",\"kind\":\"environment\"")).clockAt("2026-03-03T23:59:00+08:00");
        assertTrue(s.findings("patrol.reviewed", "violation").isEmpty());
        s.clockAt("2026-03-04T00:00:00+08:00");
        assertFinding(s.only("patrol.reviewed", "violation"), "2026-03-02", "2026-03-04T00:00:00+08:00",
                "2026-03-04T00:00:00+08:00", "centre_manager");
        Scenario met = new Scenario().given(event("patrol.completed", "2026-03-02T10:00:00+08:00",
                        "\"patrol\":\"P1\",\"kind\":\"environment\""),
                event("patrol.reviewed", "2026-03-03T17:00:00+08:00", "\"date\":\"2026-03-02\",\"by\":\"s1\""))
                .clockAt("2026-03-05T00:00:00+08:00");
        assertTrue(met.findings("patrol.reviewed", "violation").isEmpty());
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.8: a fixed patrol problem is verified within 1 working day")
    void issueVerified() {
        // fixed Friday 03-06: the working day after is Monday 03-09, due Tuesday 00:00
        Scenario s = new Scenario().given(event("patrol.issue_resolved", "2026-03-06T16:00:00+08:00",
                "\"issue\":\"I1\",\"by\":\"e1\"")).clockAt("2026-03-09T23:59:00+08:00");
        assertTrue(s.findings("patrol.issue-verified", "violation").isEmpty());
        s.clockAt("2026-03-10T00:00:00+08:00");
        assertFinding(s.only("patrol.issue-verified", "violation"), "I1", "2026-03-10T00:00:00+08:00",
                "2026-03-10T00:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.5: an emergency found on patrol is dispatched within 5 minutes as a ticket")
    void patrolEmergency() {
        Scenario s = new Scenario().given(event("patrol.issue_found", "2026-03-02T10:00:00+08:00",
                "\"issue\":\"I1\",\"building\":\"B1\",\"severity\":\"emergency\",\"summary\":\"水浸\""))
                .clockAt("2026-03-02T10:04:00+08:00");
        assertTrue(s.findings("patrol.emergency", "violation").isEmpty());
        s.clockAt("2026-03-02T10:05:00+08:00");
        assertFinding(s.only("patrol.emergency", "violation"), "I1", "2026-03-02T10:05:00+08:00",
                "2026-03-02T10:05:00+08:00", "centre_manager");
        Scenario met = new Scenario().given(event("patrol.issue_found", "2026-03-02T10:00:00+08:00",
                        "\"issue\":\"I1\",\"severity\":\"emergency\""),
                received("R1", "2026-03-02T10:02:00+08:00", "\"kind\":\"repair\",\"channel\":\"patrol\",\"urgency\":\"emergency\",\"issue\":\"I1\""),
                on("R1", "ticket.dispatched", "2026-03-02T10:05:00+08:00", "\"to\":\"engineering\""))
                .clockAt("2026-03-02T11:00:00+08:00");
        assertTrue(met.findings("patrol.emergency", "violation").isEmpty());
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.5 \"采取任何有效措施\": any recorded response within 5 minutes meets an emergency found on patrol")
    void patrolEmergencyAnyResponse() {
        String found = event("patrol.issue_found", "2026-03-02T10:00:00+08:00",
                "\"issue\":\"I1\",\"patrol\":\"P1\",\"building\":\"B1\",\"severity\":\"emergency\",\"summary\":\"水浸\"");
        String ticket = received("T1", "2026-03-02T10:01:00+08:00",
                "\"kind\":\"repair\",\"channel\":\"patrol\",\"building\":\"B1\",\"urgency\":\"emergency\",\"issue\":\"I1\"");
        for (String response : new String[] {
                on("T1", "ticket.escalated", "2026-03-02T10:05:00+08:00", "\"to\":\"centre_manager\""),
                on("T1", "ticket.resolved", "2026-03-02T10:05:00+08:00", ""),
                on("T1", "ticket.dispatched", "2026-03-02T10:05:00+08:00", "\"to\":\"engineering\""),
                event("patrol.issue_resolved", "2026-03-02T10:05:00+08:00", "\"issue\":\"I1\",\"by\":\"m1\"")}) {
            Scenario s = new Scenario().given(found, ticket, response).clockAt("2026-03-02T11:00:00+08:00");
            assertTrue(s.findings("patrol.emergency", "violation").isEmpty(), response);
        }
        Scenario none = new Scenario().given(found, ticket).clockAt("2026-03-02T10:04:00+08:00");
        assertTrue(none.findings("patrol.emergency", "violation").isEmpty());
        none.clockAt("2026-03-02T10:05:00+08:00");
        assertFinding(none.only("patrol.emergency", "violation"), "I1", "2026-03-02T10:05:00+08:00",
                "2026-03-02T10:05:00+08:00", "centre_manager");
    }
}
