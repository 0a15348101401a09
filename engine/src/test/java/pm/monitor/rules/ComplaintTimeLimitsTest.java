package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/complaints/time-limits.drl */
class ComplaintTimeLimitsTest {

    private static Scenario complaintReceivedAt9() {
        return new Scenario().given("""
                {"type":"ticket.received","at":"2026-03-02T09:00:00+08:00","ticket":"T1","kind":"complaint",
                 "channel":"phone","household":"3-2-1201","category":"environment","receivedBy":"a1"}""");
    }

    @Test
    @DisplayName("CODE 4.4.1: a valid complaint not contacted within 2 h is a violation at the deadline")
    void uncontactedComplaintIsAViolationAtTheDeadline() {
        Scenario s = complaintReceivedAt9().clockAt("2026-03-02T11:00:00+08:00");
        List<Finding> v = s.findings("complaint.contact-2h", "violation");
        assertEquals(1, v.size());
        Finding f = v.get(0);
        assertEquals("T1", f.subject());
        assertEquals(t("2026-03-02T11:00:00+08:00"), f.at());
        assertEquals(t("2026-03-02T11:00:00+08:00"), f.dueAt());
        assertEquals("supervisor", f.role());
        assertEquals("CODE 4.3.1, 4.4.1", f.clause());
    }

    @Test
    @DisplayName("CODE 4.4.1: one minute before the deadline there is no violation yet")
    void nothingOneMinuteBefore() {
        Scenario s = complaintReceivedAt9().clockAt("2026-03-02T10:59:00+08:00");
        assertTrue(s.findings("complaint.contact-2h", "violation").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.4.1: a contact stamped exactly at the deadline meets it")
    void contactAtTheDeadlineMeetsIt() {
        Scenario s = complaintReceivedAt9().given("""
                {"type":"ticket.contacted","at":"2026-03-02T11:00:00+08:00","ticket":"T1","by":"s1"}""")
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(s.findings("complaint.contact-2h", "violation").isEmpty());
    }

    @Test
    @DisplayName("Warning at 75% of the 2 h: 10:30 for a complaint received at 09:00")
    void warningAtThreeQuarters() {
        Scenario s = complaintReceivedAt9().clockAt("2026-03-02T10:29:00+08:00");
        assertTrue(s.findings("complaint.contact-2h", "warning").isEmpty());
        s.clockAt("2026-03-02T10:30:00+08:00");
        List<Finding> w = s.findings("complaint.contact-2h", "warning");
        assertEquals(1, w.size());
        assertEquals(t("2026-03-02T10:30:00+08:00"), w.get(0).at());
        assertEquals(t("2026-03-02T11:00:00+08:00"), w.get(0).dueAt());
    }

    @Test
    @DisplayName("An invalid complaint has no 2 h contact duty (CODE 4.4.1 is about valid complaints)")
    void invalidComplaintHasNoContactDuty() {
        Scenario s = new Scenario().given("""
                {"type":"ticket.received","at":"2026-03-02T09:00:00+08:00","ticket":"T1","kind":"complaint",
                 "channel":"phone","category":"other","validity":"invalid","receivedBy":"a1"}""")
                .clockAt("2026-03-02T12:00:00+08:00");
        assertTrue(s.findings("complaint.contact-2h").isEmpty());
    }
}
