package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertHarness.complaint;
import static pm.monitor.alert.AlertHarness.t;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.finding.FindingIds;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.support.Receiver;

/**
 * Grouping, inhibition, escalation, silences and quiet hours, each on event time: the real rules
 * make the findings, a pseudo clock moves, and messages reach a real HTTP receiver.
 */
class AlertServiceTest {
    Receiver receiver;

    @BeforeEach
    void receiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** The messages queued for a webhook path so far (the outbox: what was decided, whether or not delivered yet). */
    static List<DeliveryStore.Delivery> queued(AlertHarness h, String url) {
        return h.alerts.deliveries().query(new DeliveryStore.Filter(null, null, "webhook", null), 1000, 0).stream()
                .filter(d -> d.address().equals(url)).toList();
    }

    /** The same, of one rule only (the rule catalog grows; other rules' messages are not what a test is about). */
    static List<DeliveryStore.Delivery> queued(AlertHarness h, String url, String rule) {
        return queued(h, url).stream().filter(d -> d.payload().contains("\"rule\":\"" + rule + "\"")).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> subjects(Receiver.Request r) {
        return ((List<Map<String, Object>>) r.json().get("findings")).stream().map(f -> (String) f.get("subject")).toList();
    }

    static Finding finding(String rule, String kind, String community, String subject, String at, String role,
                           Map<String, Object> details) {
        return new Finding(FindingIds.of(rule, community, subject, t(at), kind), rule, kind, community, subject, t(at),
                null, role, "TEST", new HashMap<>(details), "test", ZoneId.of("Asia/Shanghai"));
    }

    @Test
    @DisplayName("Findings of one community, rule and kind within 5 minutes go out as one message; the window closes on event time")
    void groupingWindow() {
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "warning"))) {
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/sup1"), null);
            h.roster("C002", "supervisor", "李主管", "webhook", receiver.url("/sup2"), null);
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", null),
                    complaint("T2", "2026-03-02T09:02:00+08:00", "1-1-102", null),
                    complaint("T3", "2026-03-02T09:04:00+08:00", "1-1-103", null),
                    complaint("T4", "2026-03-02T09:07:00+08:00", "1-1-104", null),
                    complaint("T5", "2026-03-02T09:01:00+08:00", "2-1-101", null).replace("}", ",\"community\":\"C002\"}"));
            // The warnings come at 75% of the 2 h: 10:30, 10:32, 10:34, 10:37 (C001) and 10:31 (C002).
            h.clockAt("2026-03-02T10:34:59+08:00");
            assertEquals(0, queued(h, receiver.url("/sup1"), "complaint.contact-2h").size(),
                    "the window opened at 10:30 is still open");

            h.clockAt("2026-03-02T10:35:00+08:00");
            List<Receiver.Request> first = receiver.await("the first group", 1, r -> r.path().equals("/sup1")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            assertEquals(List.of("T1", "T2", "T3"), subjects(first.get(0)));
            assertEquals("warning", first.get(0).json().get("kind"));

            h.clockAt("2026-03-02T10:42:00+08:00");
            List<Receiver.Request> both = receiver.await("the second group", 2, r -> r.path().equals("/sup1")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            assertEquals(List.of("T4"), subjects(both.get(1)), "10:37 is past the first window: a new group");
            List<Receiver.Request> other = receiver.await("C002's own message", 1, r -> r.path().equals("/sup2")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            assertEquals(List.of("T5"), subjects(other.get(0)), "another community is another group, to its own people");
            assertEquals(2, queued(h, receiver.url("/sup1"), "complaint.contact-2h").size());
            for (Receiver.Request r : receiver.received("/sup1")) {
                assertEquals(r.json().get("key"), r.header("Idempotency-Key"),
                        "every message carries its idempotency key, in the body and the header");
            }
        }
    }

    @Test
    @DisplayName("A collective complaint arrives as one message; its tickets' own findings are folded under it, not sent one by one")
    void inhibitionUnderCollectiveComplaint() {
        try (AlertHarness h = new AlertHarness(Map.of())) {
            h.roster("C001", "centre_manager", "张经理", "webhook", receiver.url("/cm"), null);
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/sup"), null);
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", "INC-1"),
                    complaint("T9", "2026-03-02T09:03:00+08:00", "5-1-501", null),
                    complaint("T2", "2026-03-02T09:05:00+08:00", "1-1-102", "INC-1"),
                    complaint("T3", "2026-03-02T09:10:00+08:00", "1-1-103", "INC-1"),
                    complaint("T4", "2026-03-02T09:15:00+08:00", "1-1-104", "INC-1"),
                    complaint("T5", "2026-03-02T09:20:00+08:00", "1-1-105", "INC-1"));
            h.clockAt("2026-03-02T09:20:00+08:00");
            List<Receiver.Request> cm = receiver.await("the collective complaint", 1, r -> r.path().equals("/cm"));
            assertEquals("complaint.collective", cm.get(0).json().get("rule"));
            assertEquals(List.of("INC-1"), subjects(cm.get(0)));
            // A sixth household joins after the incident became collective: only the event store knows its incident.
            h.given(complaint("T6", "2026-03-02T10:00:00+08:00", "1-1-106", "INC-1"));
            // Every complaint's contact warning (10:30…11:30) and violation (11:00…12:00) has come and gone.
            h.clockAt("2026-03-02T12:30:00+08:00");

            String collective = (String) cm.get(0).json().get("alert");
            List<Item> folded = h.alerts.store().foldedUnder(collective).stream()
                    .filter(i -> i.rule().equals("complaint.contact-2h")).toList();
            assertEquals(12, folded.size(), "6 tickets × (warning + violation) folded under the incident's alert");
            assertEquals(Set.of("T1", "T2", "T3", "T4", "T5", "T6"),
                    folded.stream().map(Item::subject).collect(Collectors.toSet()));
            List<DeliveryStore.Delivery> toSupervisor = queued(h, receiver.url("/sup"), "complaint.contact-2h");
            assertEquals(2, toSupervisor.size(), "the supervisor hears only of T9: its warning and its violation");
            receiver.await("T9's messages", 2, r -> r.path().equals("/sup")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            for (Receiver.Request r : receiver.received("/sup")) {
                if (r.json().get("rule").toString().startsWith("complaint.")) {
                    assertEquals(List.of("T9"), subjects(r), "no message about the incident's tickets");
                }
            }
            // The centre manager also hears that the timeliness KPI fell (kpi.timeliness); of the
            // complaints, one message.
            List<Receiver.Request> toCentre = receiver.received("/cm").stream()
                    .filter(r -> r.json().get("rule").toString().startsWith("complaint.")).toList();
            assertEquals(1, toCentre.size(), "one message to the centre manager, not five");
        }
    }

    @Test
    @DisplayName("An alert not acknowledged in 30 minutes climbs supervisor → centre_manager → project_manager → general_manager; an acknowledgement stops it")
    void escalationAfterMissedAck() {
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "violation", "escalate.kinds", "alert, violation",
                "digest.general_manager", "none"))) {
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/sup"), null);
            h.roster("C001", "centre_manager", "张经理", "webhook", receiver.url("/cm"), null);
            h.roster("C001", "project_manager", "赵项目经理", "webhook", receiver.url("/pm"), null);
            h.roster("*", "general_manager", "总经理", "webhook", receiver.url("/gm"), null);
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", null),
                    complaint("T2", "2026-03-02T09:30:00+08:00", "1-1-102", null));
            // T1's violation at 11:00 goes out at 11:05 and is due to be acknowledged by 11:35.
            h.clockAt("2026-03-02T11:05:00+08:00");
            Receiver.Request sup = receiver.await("the first notice", 1, r -> r.path().equals("/sup")
                    && r.json().get("rule").equals("complaint.contact-2h")).get(0);
            assertEquals(List.of("T1"), subjects(sup));
            h.clockAt("2026-03-02T11:34:59+08:00");
            assertEquals(0, queued(h, receiver.url("/cm"), "complaint.contact-2h").size(),
                    "one second before the deadline nothing climbs");
            h.clockAt("2026-03-02T11:35:00+08:00");
            Receiver.Request cm = receiver.await("escalation to the centre manager", 1, r -> r.path().equals("/cm")
                    && r.json().get("rule").equals("complaint.contact-2h")).get(0);
            assertEquals("escalation", cm.json().get("type"));
            assertEquals(1, cm.json().get("escalation"));
            assertEquals(sup.json().get("alert") + "-1", cm.header("Idempotency-Key"));

            // T2's violation (11:30) goes out at 11:35; the supervisor acknowledges it at 11:50.
            String t2 = (String) receiver.await("T2's notice", 2, r -> r.path().equals("/sup")
                    && r.json().get("rule").equals("complaint.contact-2h")).get(1).json().get("alert");
            assertEquals(AlertService.AckResult.ACKED, h.alerts.ack(t2, "王主管", t("2026-03-02T11:50:00+08:00")));
            assertEquals(AlertService.AckResult.ALREADY, h.alerts.ack(t2, "王主管", t("2026-03-02T11:51:00+08:00")));

            h.clockAt("2026-03-02T12:05:00+08:00");
            receiver.await("escalation to the project manager", 1, r -> r.path().equals("/pm")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            h.clockAt("2026-03-02T12:35:00+08:00");
            receiver.await("escalation to the general manager", 1, r -> r.path().equals("/gm")
                    && r.json().get("rule").equals("complaint.contact-2h"));
            h.clockAt("2026-03-02T15:00:00+08:00");
            assertEquals(1, queued(h, receiver.url("/cm"), "complaint.contact-2h").size(),
                    "T2 was acknowledged: it never climbed");
            assertEquals(1, queued(h, receiver.url("/gm"), "complaint.contact-2h").size(),
                    "the general manager is the top: nothing after");
            List<String> log = h.alerts.store().log((String) sup.json().get("alert")).stream()
                    .map(e -> e.action() + " " + e.role() + " " + e.at()).toList();
            assertEquals(List.of("sent supervisor 2026-03-02T03:05:00Z", "escalated centre_manager 2026-03-02T03:35:00Z",
                    "escalated project_manager 2026-03-02T04:05:00Z", "escalated general_manager 2026-03-02T04:35:00Z"), log);
        }
    }

    @Test
    @DisplayName("A silence for a community and rule keeps its alerts from going out until it expires; other rules still go")
    void silence() {
        try (AlertHarness h = new AlertHarness(Map.of())) {
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/sup"), null);
            var s = h.alerts.silence("C001", "complaint.contact-2h", "front desk system migration", "品质部 陈",
                    t("2026-03-02T10:00:00+08:00"), t("2026-03-02T11:00:00+08:00"));
            h.given(complaint("T1", "2026-03-02T09:00:00+08:00", "1-1-101", null),
                    "{\"type\":\"call.missed\",\"at\":\"2026-03-02T10:20:00+08:00\",\"call\":\"K1\",\"line\":\"400\"}");
            h.clockAt("2026-03-02T10:40:00+08:00");
            List<Group> warning = h.alerts.store().query(
                    new AlertStore.Filter("C001", null, null, "complaint.contact-2h", null, null), 10, 0);
            assertEquals(1, warning.size());
            assertEquals("silenced", warning.get(0).status);
            assertEquals(s.id(), warning.get(0).silenceId);
            receiver.await("the missed call: another rule is not silenced", 1,
                    r -> r.path().equals("/sup") && r.json().get("rule").equals("call.three-rings"));
            assertEquals(0, queued(h, receiver.url("/sup"), "complaint.contact-2h").size());
            // The violation at 11:00 closes its window at 11:05, after the silence expired.
            h.clockAt("2026-03-02T11:05:00+08:00");
            Receiver.Request after = receiver.await("the violation after the silence", 1,
                    r -> r.path().equals("/sup") && r.json().get("rule").equals("complaint.contact-2h")).get(0);
            assertEquals("violation", after.json().get("kind"));
            assertEquals(1, queued(h, receiver.url("/sup"), "complaint.contact-2h").size());
        }
    }

    @Test
    @DisplayName("Quiet hours hold a role's messages until they end, escalations into them too; emergencies go at once")
    void quietHours() {
        try (AlertHarness h = new AlertHarness(Map.of("quiet.centre_manager", "22:00-07:00",
                "escalate.kinds", "alert, violation"))) {
            h.roster("C001", "centre_manager", "张经理", "webhook", receiver.url("/cm"), null);
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/sup"), null);
            // A supervisor's alert at 21:40 goes out at 21:45; its escalation at 22:15 will wait for 07:00.
            h.found(finding("call.three-rings", "violation", "C001", "K7", "2026-03-02T21:40:00+08:00", "supervisor",
                    Map.of("rings", 5)));
            h.clockAt("2026-03-02T21:45:00+08:00");
            receiver.await("the supervisor's notice", 1, r -> r.path().equals("/sup"));
            h.found(finding("patrol.environment-daily", "violation", "C001", "2026-03-02", "2026-03-02T23:00:00+08:00",
                    "centre_manager", Map.of()));
            h.clockAt("2026-03-02T23:05:00+08:00");
            assertEquals(0, queued(h, receiver.url("/cm")).size(), "held: 23:05 is in the centre manager's quiet hours");
            h.found(finding("complaint.collective", "alert", "C001", "INC-9", "2026-03-02T23:10:00+08:00",
                    "centre_manager", Map.of("households", List.of("1", "2", "3", "4", "5"))));
            h.clockAt("2026-03-02T23:10:00+08:00");
            Receiver.Request emergency = receiver.await("the emergency", 1, r -> r.path().equals("/cm")).get(0);
            assertEquals("complaint.collective", emergency.json().get("rule"));
            assertEquals(Boolean.TRUE, emergency.json().get("emergency"));

            h.clockAt("2026-03-03T06:59:59+08:00");
            assertEquals(1, queued(h, receiver.url("/cm")).size(), "only the emergency, before 07:00");
            h.clockAt("2026-03-03T07:00:00+08:00");
            List<Receiver.Request> morning = receiver.await("the held messages", 3, r -> r.path().equals("/cm"));
            assertEquals(Set.of("patrol.environment-daily", "call.three-rings"),
                    Set.of(morning.get(1).json().get("rule"), morning.get(2).json().get("rule")));
            for (Receiver.Request r : morning.subList(1, 3)) {
                assertEquals("2026-03-03T07:00:00+08:00", r.json().get("at"));
            }
            Receiver.Request escalated = morning.stream().filter(r -> r.json().get("rule").equals("call.three-rings"))
                    .findFirst().orElseThrow();
            assertEquals("escalation", escalated.json().get("type"));
        }
    }

    @Test
    @DisplayName("A receiver failing its first attempts gets the message on a retry; a dead one holds nobody up and is given up on")
    void retriesAndDeadChannel() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (AlertHarness h = new AlertHarness(Map.of("retry.give-up", "1s"))) {
            h.roster("C001", "supervisor", "dead", "webhook", "http://127.0.0.1:" + dead + "/gone", null);
            h.roster("C001", "supervisor", "王主管", "webhook", receiver.url("/flaky"), null);
            receiver.refuse(2, "http");
            h.found(finding("call.three-rings", "violation", "C001", "K1", "2026-03-02T09:00:00+08:00", "supervisor",
                    Map.of("rings", 6)));
            h.clockAt("2026-03-02T09:05:00+08:00");
            Receiver.Request got = receiver.await("the third attempt", 1, r -> r.path().equals("/flaky")).get(0);
            assertNotNull(got.header("Idempotency-Key"));
            DeliveryStore.Delivery flaky = queued(h, receiver.url("/flaky")).get(0);
            pm.monitor.support.TestServer.await("the attempt to be recorded", java.time.Duration.ofSeconds(10),
                    () -> h.alerts.deliveries().get(flaky.id()).status().equals("delivered"));
            List<DeliveryStore.Attempt> attempts = h.alerts.deliveries().attempts(flaky.id());
            assertEquals(List.of(false, false, true), attempts.stream().map(DeliveryStore.Attempt::ok).toList());
            assertEquals(500, attempts.get(0).statusCode());

            DeliveryStore.Delivery gone = queued(h, "http://127.0.0.1:" + dead + "/gone").get(0);
            pm.monitor.support.TestServer.await("the dead receiver to be given up", java.time.Duration.ofSeconds(20),
                    () -> h.alerts.deliveries().get(gone.id()).status().equals("dead"));
            DeliveryStore.Delivery given = h.alerts.deliveries().get(gone.id());
            assertTrue(given.attempts() >= 2, "tried more than once: " + given.attempts());
            assertTrue(given.lastError().contains("Connect"), given.lastError());
            assertEquals(given.attempts(), h.alerts.deliveries().attempts(gone.id()).size(), "every attempt logged");
        }
    }
}
