package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;
import static pm.monitor.support.Scenario.assertFinding;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

/** rules/complaints/contact-and-reply.drl */
class ComplaintContactAndReplyTest {

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

    private static final String PHONE = "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"service\"";
    private static final String WRITTEN = "\"kind\":\"complaint\",\"channel\":\"written\",\"household\":\"1-1-101\",\"category\":\"service\"";


    @Test
    @DisplayName("CODE 4.10.1: an invalid complaint is replied to within 2 h of receipt")
    void invalidReply() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", PHONE + ",\"validity\":\"invalid\""))
                .clockAt("2026-03-02T10:59:00+08:00");
        assertTrue(s.findings("complaint.invalid-reply-2h", "violation").isEmpty());
        s.clockAt("2026-03-02T11:00:00+08:00");
        assertFinding(s.only("complaint.invalid-reply-2h", "violation"), "T1", "2026-03-02T11:00:00+08:00",
                "2026-03-02T11:00:00+08:00", "supervisor");
        assertTrue(s.findings("complaint.verbal-reply-same-day").isEmpty(), "invalid complaints have their own limit");
    }

    @Test
    @DisplayName("CODE 4.10.1: classified invalid later, the 2 h run from the classification")
    void invalidReplyFromClassification() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", PHONE),
                on("T1", "ticket.contacted", "2026-03-02T09:30:00+08:00", ""),
                on("T1", "ticket.classified", "2026-03-02T10:00:00+08:00", "\"validity\":\"invalid\""))
                .clockAt("2026-03-02T11:59:00+08:00");
        assertTrue(s.findings("complaint.invalid-reply-2h", "violation").isEmpty());
        s.clockAt("2026-03-02T12:00:00+08:00");
        assertFinding(s.only("complaint.invalid-reply-2h", "violation"), "T1", "2026-03-02T12:00:00+08:00",
                "2026-03-02T12:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.7.1: a complaint resolved on the spot is replied to within 2 h of the resolution")
    void onSpotReply() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", PHONE),
                on("T1", "ticket.contacted", "2026-03-02T09:05:00+08:00", ""),
                on("T1", "ticket.resolved", "2026-03-02T09:10:00+08:00", "\"onSpot\":true"))
                .clockAt("2026-03-02T11:09:00+08:00");
        assertTrue(s.findings("complaint.onspot-reply-2h", "violation").isEmpty());
        s.clockAt("2026-03-02T11:10:00+08:00");
        assertFinding(s.only("complaint.onspot-reply-2h", "violation"), "T1", "2026-03-02T11:10:00+08:00",
                "2026-03-02T11:10:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.4: a phone complaint is replied to the same day: due at 24:00, not a minute before")
    void verbalSameDay() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", PHONE),
                on("T1", "ticket.contacted", "2026-03-02T15:30:00+08:00", ""))
                .clockAt("2026-03-02T23:59:00+08:00");
        assertTrue(s.findings("complaint.verbal-reply-same-day", "violation").isEmpty());
        s.clockAt("2026-03-03T00:00:00+08:00");
        assertFinding(s.only("complaint.verbal-reply-same-day", "violation"), "T1", "2026-03-03T00:00:00+08:00",
                "2026-03-03T00:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.7.2: a later reply time agreed before the day ended replaces the same-day limit")
    void agreedTimeReplacesSameDay() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", PHONE),
                on("T1", "ticket.contacted", "2026-03-02T16:00:00+08:00", "\"replyBy\":\"2026-03-04T12:00:00+08:00\""))
                .clockAt("2026-03-04T11:59:00+08:00");
        assertTrue(s.findings("complaint.verbal-reply-same-day").stream().noneMatch(f -> f.kind().equals("violation")));
        assertTrue(s.findings("complaint.agreed-time", "violation").isEmpty());
        s.clockAt("2026-03-04T12:00:00+08:00");
        assertFinding(s.only("complaint.agreed-time", "violation"), "T1", "2026-03-04T12:00:00+08:00",
                "2026-03-04T12:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.4.1: the reply comes by the time agreed with the owner")
    void agreedTime() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", WRITTEN),
                on("T1", "ticket.contacted", "2026-03-02T10:00:00+08:00", "\"replyBy\":\"2026-03-02T18:00:00+08:00\""),
                on("T1", "ticket.replied", "2026-03-02T18:00:00+08:00", "\"method\":\"written\""))
                .clockAt("2026-03-05T00:00:00+08:00");
        assertTrue(s.findings("complaint.agreed-time", "violation").isEmpty(), "a reply at the agreed time meets it");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.4: a written complaint received Friday 15:00 is due Wednesday 00:00 (2 working days)")
    void writtenTwoWorkingDays() {
        Scenario s = new Scenario().given(received("T1", "2026-03-06T15:00:00+08:00", WRITTEN),
                on("T1", "ticket.contacted", "2026-03-06T16:00:00+08:00", ""))
                .clockAt("2026-03-10T23:59:00+08:00");
        assertTrue(s.findings("complaint.written-reply-2wd", "violation").isEmpty());
        s.clockAt("2026-03-11T00:00:00+08:00");
        Finding f = s.only("complaint.written-reply-2wd", "violation");
        assertFinding(f, "T1", "2026-03-11T00:00:00+08:00", "2026-03-11T00:00:00+08:00", "supervisor");
        assertTrue(((String) f.details().get("explain")).contains("working days counted Mon 03-09, Tue 03-10"));
    }

    @Test
    @DisplayName("CODE 4.8.1: a written complaint answered only by phone is a violation at its 2-working-day deadline, not at the call")
    void writtenAnsweredByPhone() {
        Scenario s = new Scenario().given(received("T1", "2026-03-06T15:00:00+08:00", WRITTEN),
                on("T1", "ticket.contacted", "2026-03-06T16:00:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-09T10:00:00+08:00", "\"method\":\"phone\""))
                .clockAt("2026-03-10T23:59:00+08:00");
        assertTrue(s.findings("complaint.written-reply-2wd", "violation").isEmpty(), "a call first is no breach");
        s.clockAt("2026-03-11T00:00:00+08:00");
        Finding f = s.only("complaint.written-reply-2wd", "violation");
        assertFinding(f, "T1", "2026-03-11T00:00:00+08:00", "2026-03-11T00:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.8.1: a phone acknowledgement, then a written (or e-mail) reply within 2 working days, meets the duty")
    void phoneThenWrittenInTime() {
        for (String method : List.of("written", "email")) {
            Scenario s = new Scenario().given(received("T1", "2026-03-06T15:00:00+08:00", WRITTEN),
                    on("T1", "ticket.replied", "2026-03-06T15:30:00+08:00", "\"method\":\"phone\""),
                    on("T1", "ticket.replied", "2026-03-11T00:00:00+08:00", "\"method\":\"" + method + "\""))
                    .clockAt("2026-03-12T00:00:00+08:00");
            assertTrue(s.findings("complaint.written-reply-2wd", "violation").isEmpty(), method + ": " + s.findings());
        }
    }

    @Test
    @DisplayName("CODE 4.8.1, 4.11.1: a reopened cycle's violation due at the same midnight is a finding of its own, with its own id")
    void reopenedCycleSameDeadlineOwnId() {
        // Received Friday, answered by phone Saturday, reopened Saturday evening and answered by
        // visit Sunday: both cycles fall due Wednesday 00:00 (2 working days), both violate.
        Scenario s = new Scenario().given(received("T1", "2026-03-06T09:50:00+08:00", WRITTEN),
                on("T1", "ticket.contacted", "2026-03-06T10:00:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-07T12:40:00+08:00", "\"method\":\"phone\""),
                on("T1", "ticket.reopened", "2026-03-07T20:40:00+08:00", "\"reason\":\"not in writing\""),
                on("T1", "ticket.contacted", "2026-03-07T21:00:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-08T08:20:00+08:00", "\"method\":\"visit\""))
                .clockAt("2026-03-12T00:00:00+08:00");
        List<Finding> v = s.findings("complaint.written-reply-2wd", "violation");
        assertEquals(2, v.size(), v.toString());
        assertEquals(v.get(0).dueAt(), v.get(1).dueAt(), "the same deadline instant");
        assertEquals(List.of(0, 1), v.stream().map(f -> f.details().get("cycle")).sorted().toList());
        assertTrue(!v.get(0).id().equals(v.get(1).id()), "ids differ: " + v.get(0).id());
    }

    @Test
    @DisplayName("CODE 4.11.1: a reopening starts a new cycle: the contact limit applies again from it, as its own finding")
    void reopeningStartsANewCycle() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", PHONE),
                on("T1", "ticket.contacted", "2026-03-02T09:30:00+08:00", ""),
                on("T1", "ticket.resolved", "2026-03-02T12:00:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-02T12:10:00+08:00", "\"method\":\"phone\""),
                on("T1", "ticket.followed_up", "2026-03-02T15:00:00+08:00", "\"satisfied\":false"),
                on("T1", "ticket.reopened", "2026-03-02T16:00:00+08:00", "\"reason\":\"still dirty\""))
                .clockAt("2026-03-02T17:59:00+08:00");
        assertTrue(s.findings("complaint.contact-2h", "violation").isEmpty());
        s.clockAt("2026-03-02T18:00:00+08:00");
        Finding f = s.only("complaint.contact-2h", "violation");
        assertFinding(f, "T1", "2026-03-02T18:00:00+08:00", "2026-03-02T18:00:00+08:00", "supervisor");
        assertEquals(1, f.details().get("cycle"));
        s.clockAt("2026-03-03T00:00:00+08:00");
        Finding sameDay = s.only("complaint.verbal-reply-same-day", "violation");
        assertEquals(1, sameDay.details().get("cycle"), "the first cycle's reply met its own limit");
    }

    private static String complaintBy(String channel) {
        return "\"kind\":\"complaint\",\"channel\":\"" + channel + "\",\"household\":\"3-2-1201\",\"category\":\"service\"";
    }

    @Test
    @DisplayName("CODE 4.4.1 \"2小时内与业户联系\": a walk-in complaint resolved and answered on the spot in 16 minutes needs no separate contact")
    void answerOnTheSpotIsContact() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", complaintBy("visit")),
                on("T1", "ticket.resolved", "2026-03-02T09:16:00+08:00", "\"onSpot\":true"),
                on("T1", "ticket.replied", "2026-03-02T09:16:00+08:00", "\"method\":\"in_person\""))
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(s.findings("complaint.contact-2h").isEmpty(), s.findings().toString());
        // an answer by phone within the 2 hours is contact, too; one after them is late contact
        Scenario phone = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", complaintBy("phone")),
                on("T1", "ticket.replied", "2026-03-02T11:00:00+08:00", "\"method\":\"phone\""))
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(phone.findings("complaint.contact-2h", "violation").isEmpty(), phone.findings().toString());
        Scenario late = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", complaintBy("phone")))
                .clockAt("2026-03-02T10:59:00+08:00");
        assertTrue(late.findings("complaint.contact-2h", "violation").isEmpty());
        late.given(on("T1", "ticket.replied", "2026-03-02T11:01:00+08:00", "\"method\":\"phone\""));
        assertFinding(late.only("complaint.contact-2h", "violation"), "T1", "2026-03-02T11:00:00+08:00",
                "2026-03-02T11:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.4 \"当面\": a complaint made to a building manager on patrol is replied to the same day")
    void patrolComplaintSameDay() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", complaintBy("patrol")),
                on("T1", "ticket.contacted", "2026-03-02T15:30:00+08:00", ""))
                .clockAt("2026-03-02T23:59:00+08:00");
        assertTrue(s.findings("complaint.verbal-reply-same-day", "violation").isEmpty());
        s.clockAt("2026-03-03T00:00:00+08:00");
        assertFinding(s.only("complaint.verbal-reply-same-day", "violation"), "T1", "2026-03-03T00:00:00+08:00",
                "2026-03-03T00:00:00+08:00", "supervisor");
        // a later reply time agreed with the owner before the day ended takes its place
        Scenario agreed = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", complaintBy("patrol")),
                on("T1", "ticket.contacted", "2026-03-02T15:30:00+08:00", "\"replyBy\":\"2026-03-04T12:00:00+08:00\""))
                .clockAt("2026-03-04T00:00:00+08:00");
        assertTrue(agreed.findings("complaint.verbal-reply-same-day", "violation").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.7.2 \"即日内回复\": an app complaint is replied to the same day; a developer's has its 12 h report instead")
    void appSameDayDeveloperNot() {
        Scenario app = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", complaintBy("app")),
                on("T1", "ticket.contacted", "2026-03-02T15:30:00+08:00", ""))
                .clockAt("2026-03-02T23:59:00+08:00");
        assertTrue(app.findings("complaint.verbal-reply-same-day", "violation").isEmpty());
        app.clockAt("2026-03-03T00:00:00+08:00");
        assertFinding(app.only("complaint.verbal-reply-same-day", "violation"), "T1", "2026-03-03T00:00:00+08:00",
                "2026-03-03T00:00:00+08:00", "supervisor");
        Scenario developer = new Scenario().given(received("T1", "2026-03-02T15:00:00+08:00", complaintBy("developer")),
                on("T1", "ticket.contacted", "2026-03-02T15:30:00+08:00", ""))
                .clockAt("2026-03-05T00:00:00+08:00");
        assertTrue(developer.findings("complaint.verbal-reply-same-day").isEmpty());
        assertTrue(developer.findings("complaint.written-reply-2wd").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.7.1: a reply recorded in the same minute as the on-the-spot resolution meets it, in either order")
    void onSpotReplySameInstant() {
        String resolved = on("T1", "ticket.resolved", "2026-03-02T10:00:00+08:00", "\"onSpot\":true");
        String replied = on("T1", "ticket.replied", "2026-03-02T10:00:00+08:00", "\"method\":\"in_person\"");
        for (List<String> order : List.of(List.of(replied, resolved), List.of(resolved, replied))) {
            Scenario s = new Scenario().given(received("T1", "2026-03-02T09:50:00+08:00", complaintBy("visit")))
                    .given(order.toArray(String[]::new)).clockAt("2026-03-03T00:00:00+08:00");
            assertTrue(s.findings("complaint.onspot-reply-2h").isEmpty(), s.findings().toString());
        }
        // the same minute, seconds apart (logs kept to the minute): one moment
        Scenario seconds = new Scenario().given(received("T1", "2026-03-02T09:50:00+08:00", complaintBy("visit")),
                on("T1", "ticket.replied", "2026-03-02T10:00:10+08:00", "\"method\":\"in_person\""),
                on("T1", "ticket.resolved", "2026-03-02T10:00:40+08:00", "\"onSpot\":true"))
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(seconds.findings("complaint.onspot-reply-2h").isEmpty(), seconds.findings().toString());
        // a reply before the resolution is not the reply to it: due 2 hours after it, not a minute before
        Scenario before = new Scenario().given(received("T1", "2026-03-02T09:50:00+08:00", complaintBy("visit")),
                on("T1", "ticket.replied", "2026-03-02T09:55:00+08:00", "\"method\":\"in_person\""), resolved)
                .clockAt("2026-03-02T11:59:00+08:00");
        assertTrue(before.findings("complaint.onspot-reply-2h", "violation").isEmpty());
        before.clockAt("2026-03-02T12:00:00+08:00");
        assertFinding(before.only("complaint.onspot-reply-2h", "violation"), "T1", "2026-03-02T12:00:00+08:00",
                "2026-03-02T12:00:00+08:00", "supervisor");
    }
}
