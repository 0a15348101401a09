package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertHarness.t;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.support.Receiver;
import pm.monitor.support.Rules;

/**
 * Issue 19, resolved notices (Alertmanager's send_resolved): a KPI alert whose KPI comes back to
 * target is resolved at the event time of that value, stops climbing, and each destination told
 * of it gets one resolved notice; a new fall in the period fires the same alert again; a restart
 * that sees the recoveries again sends nothing more. On the real rules: kpi.satisfaction
 * (target 85%, to the centre manager and the quality department), from follow-ups.
 */
class AlertResolvedTest {
    Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** A ticket received and followed up at {@code at}: one more item of kpi.satisfaction. */
    private static String[] followUp(String ticket, String at, boolean satisfied) {
        return new String[] {
                "{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"help\","
                        + "\"channel\":\"phone\",\"receivedBy\":\"a1\"}",
                "{\"type\":\"ticket.followed_up\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\",\"satisfied\":"
                        + satisfied + "}"};
    }

    private static List<Group> alerts(AlertHarness h, String role) {
        return h.alerts.store().query(new AlertStore.Filter("C001", role, null, "kpi.satisfaction", null, null), 100, 0)
                .stream().filter(g -> g.role.equals(role)).toList();
    }

    /** The messages of kpi.satisfaction queued to one address (webhook URL or a role's inbox), of one type. */
    private static List<DeliveryStore.Delivery> queued(AlertHarness h, String address, String type) {
        return h.alerts.deliveries().query(new DeliveryStore.Filter(null, null, null, null), 10_000, 0).stream()
                .filter(d -> d.address().equals(address) && d.payload().contains("\"rule\":\"kpi.satisfaction\"")
                        && d.payload().contains("\"type\":\"" + type + "\""))
                .toList();
    }

    /** How many of these messages are about this alert (the day's KPI, 2026-03-10, has its own). */
    private static long of(Group alert, List<DeliveryStore.Delivery> messages) {
        return messages.stream().filter(d -> d.alertId().equals(alert.id)).count();
    }

    /** Resolved as soon as the KPI is back (no hold), unless a test says otherwise. */
    private AlertHarness harness() {
        return harness("0s");
    }

    private AlertHarness harness(String hold) {
        AlertHarness h = new AlertHarness(Map.of("digest.general_manager", "none", "resolve.hold", hold));
        h.roster("C001", "centre_manager", "张经理", "webhook", receiver.url("/cm"), null);
        h.roster("C001", "centre_manager", "张经理邮件网关", "webhook", receiver.url("/cm2"), null);
        h.roster("C001", "project_manager", "赵项目经理", "webhook", receiver.url("/pm"), null);
        h.roster("*", "general_manager", "总经理", "webhook", receiver.url("/gm"), null);
        h.roster("C001", "quality", "品质部", "webhook", receiver.url("/q"), null);
        return h;
    }

    @Test
    @DisplayName("kpi.satisfaction back at 85%: one resolved notice to each destination told (not the GM, never told), no more climbing; falls again: the same alert fires again")
    void resolvedOnceToEveryoneTold() {
        try (AlertHarness h = harness()) {
            // 08:00 an unsatisfied follow-up: March and W11 at 0/1 fall, one alert per role (centre manager, quality)
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00"); // sent
            h.clockAt("2026-03-10T08:35:00+08:00"); // not acknowledged: climbs to the project manager
            Group cm = alerts(h, "centre_manager").get(0);
            assertEquals("project_manager", h.alerts.store().group(cm.id).currentRole);
            assertEquals(1, queued(h, receiver.url("/pm"), "escalation").size());

            // satisfied follow-ups: 6/7 = 85.7% at 08:46 brings March and W11 back
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:4" + i + ":00+08:00", true));
            }
            h.clockAt("2026-03-10T08:50:00+08:00");
            Group resolved = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.RESOLVED, resolved.status());
            assertEquals(t("2026-03-10T08:46:00+08:00"), resolved.resolvedAt, "event time, not the wall clock");
            assertNull(resolved.dueAt, "it climbs no further");

            // one resolved notice per destination told: the centre manager's two and inbox, the
            // project manager's one and inbox; the quality department's own alert, its one and inbox
            assertEquals(1, queued(h, receiver.url("/cm"), "resolved").size());
            assertEquals(1, queued(h, receiver.url("/cm2"), "resolved").size());
            assertEquals(1, queued(h, "centre_manager@C001", "resolved").size());
            assertEquals(1, queued(h, receiver.url("/pm"), "resolved").size());
            assertEquals(1, queued(h, "project_manager@C001", "resolved").size());
            assertEquals(1, queued(h, receiver.url("/q"), "resolved").size());
            assertEquals(0, queued(h, receiver.url("/gm"), "resolved").size(), "the GM was never told of it");
            Receiver.Request notice = receiver.await("the resolved notice", 1,
                    r -> r.path().equals("/cm") && "resolved".equals(r.json().get("type"))).get(0);
            String title = (String) notice.json().get("title");
            String text = (String) notice.json().get("text");
            assertTrue(title.startsWith("【已恢复】") && title.contains("2026-03"), title);
            assertTrue(text.contains("85.7%（6/7），目标 85.0%"), text);
            assertTrue(text.contains("恢复时间 03-10 08:46"), "in the community's zone: " + text);
            assertTrue(text.contains("/alerts.html#" + cm.id) || text.contains(cm.id), text);
            assertEquals(cm.id + "-1+resolved", notice.header("Idempotency-Key"));

            // nobody acknowledges, yet nothing climbs to the GM
            h.clockAt("2026-03-10T09:30:00+08:00");
            assertEquals(0, queued(h, receiver.url("/gm"), "escalation").size());
            // the same recovery seen again changes nothing
            h.alerts.recovered(List.of(new KpiRecovered("kpi.satisfaction", "C001", "2026-03", 6.0 / 7, 6, 7, 0.85,
                    t("2026-03-10T08:46:00+08:00"))));
            h.clockAt("2026-03-10T09:31:00+08:00");
            assertEquals(1, queued(h, receiver.url("/cm"), "resolved").size());

            // 10:00 unsatisfied again: 9/11 = 81.8%: the same alert fires again, sent and climbing again
            h.given(followUp("FX", "2026-03-10T10:00:00+08:00", false));
            h.clockAt("2026-03-10T10:05:00+08:00");
            assertEquals(List.of(cm.id), alerts(h, "centre_manager").stream()
                    .filter(g -> h.alerts.store().items(g.id).stream().anyMatch(i -> i.subject().equals("2026-03")))
                    .map(g -> g.id).toList(), "the same alert, not a new one");
            Group again = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.SENT, again.status());
            assertEquals(2, again.fires);
            assertEquals(2, of(cm, queued(h, receiver.url("/cm"), "notice")), "sent again");
            h.clockAt("2026-03-10T10:35:00+08:00");
            assertEquals(2, of(cm, queued(h, receiver.url("/pm"), "escalation")), "climbing again");
            // three more satisfied: 12/14 = 85.7% at 10:42: resolved again, a notice per firing
            for (int i = 0; i < 3; i++) {
                h.given(followUp("G" + i, "2026-03-10T10:4" + i + ":00+08:00", true));
            }
            h.clockAt("2026-03-10T10:45:00+08:00");
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            assertEquals(2, of(cm, queued(h, receiver.url("/cm"), "resolved")));
            assertEquals(2, of(cm, queued(h, receiver.url("/pm"), "resolved")));
            assertEquals(0, queued(h, receiver.url("/gm"), "resolved").size());
            List<String> log = h.alerts.store().log(cm.id).stream().filter(e -> !e.action().equals("updated"))
                    .map(e -> e.action() + " " + e.role()).toList();
            assertEquals(List.of("sent centre_manager", "escalated project_manager", "resolved centre_manager",
                    "resolved project_manager", "refired centre_manager", "sent centre_manager", "escalated project_manager",
                    "resolved centre_manager", "resolved project_manager"), log);
        }
    }

    @Test
    @DisplayName("After a restart the rebuilt KPIs raise every recovery again: nothing more is sent, and the alert stays resolved")
    void restartDoesNotResend() {
        try (AlertHarness h = harness()) {
            List<String> events = new ArrayList<>(List.of(followUp("F0", "2026-03-10T08:00:00+08:00", false)));
            for (int i = 1; i <= 9; i++) {
                events.addAll(List.of(followUp("F" + i, "2026-03-10T08:1" + i + ":00+08:00", true)));
            }
            h.given(events.subList(0, 2).toArray(String[]::new));
            h.clockAt("2026-03-10T08:05:00+08:00");
            h.given(events.subList(2, events.size()).toArray(String[]::new));
            h.clockAt("2026-03-10T08:30:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            int before = h.alerts.deliveries().count(new DeliveryStore.Filter(null, null, null, null));

            // the restart: a new alert service on the same store, the findings routed again and the
            // history replayed into a fresh engine, whose recoveries reach the alerts again
            CommunityEngine rebuilt = new CommunityEngine("C001", Rules.real(), f -> { });
            rebuilt.kpis().recordRecoveries();
            for (String line : events) {
                rebuilt.accept(event(line));
            }
            rebuilt.advanceTo(t("2026-03-10T09:00:00+08:00"), true);
            try (AlertService restarted = new AlertService(h.db.dsl(), Clock.systemUTC(), null, m -> { })) {
                restarted.route(h.findings);
                List<KpiRecovered> again = rebuilt.kpis().drainRecovered();
                assertTrue(again.stream().anyMatch(r -> r.period().equals("2026-03")), again.toString());
                restarted.recovered(again);
                restarted.tick(t("2026-03-10T09:00:00+08:00"));
                restarted.tick(t("2026-03-10T12:00:00+08:00"));
                assertEquals(before, restarted.deliveries().count(new DeliveryStore.Filter(null, null, null, null)),
                        "no message sent again");
                assertEquals(AlertStatus.RESOLVED, restarted.store().group(cm.id).status());
                assertEquals(1, restarted.store().log(cm.id).stream().filter(e -> e.action().equals("resolved")).count());
            } finally {
                rebuilt.dispose();
            }
        }
    }

    @Test
    @DisplayName("One tick across the escalation (08:35) and the recovery (08:46): in event time order, it climbs, then both roles hear it resolved")
    void eventTimeOrderWithinATick() {
        try (AlertHarness h = harness()) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00");
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:4" + i + ":00+08:00", true));
            }
            h.clockAt("2026-03-10T09:00:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            assertEquals(List.of("sent centre_manager 2026-03-10T00:05:00Z", "escalated project_manager 2026-03-10T00:35:00Z",
                    "resolved centre_manager 2026-03-10T00:46:00Z", "resolved project_manager 2026-03-10T00:46:00Z"),
                    h.alerts.store().log(cm.id).stream().map(e -> e.action() + " " + e.role() + " " + e.at()).toList());
            assertEquals(1, of(cm, queued(h, receiver.url("/pm"), "resolved")));
        }
    }

    @Test
    @DisplayName("A fall from before the recovery that reaches the alerts after it (a late event) does not fire the resolved alert again")
    void fallFromBeforeTheRecoveryArrivingLate() {
        try (AlertHarness h = harness()) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00");
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:1" + i + ":00+08:00", true));
            }
            h.clockAt("2026-03-10T08:20:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            int before = h.alerts.deliveries().count(new DeliveryStore.Filter(cm.id, null, null, null));
            h.found(AlertServiceTest.finding("kpi.satisfaction", "alert", "C001", "2026-03", "2026-03-10T08:12:00+08:00",
                    "centre_manager", Map.of("kpi", "kpi.satisfaction", "period", "2026-03", "value", 0.5, "target", 0.85,
                            "numerator", 1, "denominator", 2)));
            h.clockAt("2026-03-10T08:30:00+08:00");
            Group g = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.RESOLVED, g.status());
            assertEquals(1, g.fires);
            assertEquals(0, h.alerts.store().unrecovered(cm.id), "it counts as recovered with the rest");
            assertEquals(before, h.alerts.deliveries().count(new DeliveryStore.Filter(cm.id, null, null, null)));
        }
    }

    @Test
    @DisplayName("A stop between marking the findings recovered and resolving the alert: the recovery seen again resolves it, once")
    void stopHalfwayThenSeenAgain() {
        try (AlertHarness h = harness()) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            // the findings were marked, then the service stopped before resolving it
            h.alerts.store().recover(cm.id, "2026-03", t("2026-03-10T08:16:00+08:00"));
            h.alerts.store().recover(cm.id, "2026-W11", t("2026-03-10T08:16:00+08:00"));
            assertEquals(AlertStatus.SENT, h.alerts.store().group(cm.id).status());
            List<KpiRecovered> again = List.of(
                    new KpiRecovered("kpi.satisfaction", "C001", "2026-03", 6.0 / 7, 6, 7, 0.85, t("2026-03-10T08:16:00+08:00")),
                    new KpiRecovered("kpi.satisfaction", "C001", "2026-W11", 6.0 / 7, 6, 7, 0.85, t("2026-03-10T08:16:00+08:00")));
            h.alerts.recovered(again);
            h.clockAt("2026-03-10T08:20:00+08:00");
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            h.alerts.recovered(again);
            h.clockAt("2026-03-10T08:25:00+08:00");
            assertEquals(1, of(cm, queued(h, receiver.url("/cm"), "resolved")));
        }
    }

    @Test
    @DisplayName("resolve.hold 1h: back at 08:46 but below again at 09:10 stays one firing alert, updated in place; back at 09:29 and held until 10:29: resolved as of 09:29")
    void holdAgainstFlapping() {
        try (AlertHarness h = harness("1h")) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:4" + i + ":00+08:00", true)); // back at 08:46
            }
            h.clockAt("2026-03-10T09:00:00+08:00");
            assertEquals(AlertStatus.SENT, h.alerts.store().group(cm.id).status(), "not yet held for an hour");
            h.given(followUp("FX", "2026-03-10T09:10:00+08:00", false)); // 9/11: below again
            h.clockAt("2026-03-10T09:50:00+08:00");
            Group g = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.SENT, g.status(), "still firing");
            assertEquals(1, g.fires, "not fired again");
            assertEquals(0, of(cm, queued(h, receiver.url("/cm"), "resolved")));
            assertEquals(1, of(cm, queued(h, receiver.url("/cm"), "notice")), "nobody told again");
            for (int i = 0; i < 3; i++) {
                h.given(followUp("G" + i, "2026-03-10T09:2" + (8 + i / 2) + ":" + (i % 2 == 0 ? "00" : "30") + "+08:00", true));
            }
            h.clockAt("2026-03-10T10:28:59+08:00"); // 12/14 = 85.7% since 09:29
            assertEquals(AlertStatus.SENT, h.alerts.store().group(cm.id).status(), "a second before the hold ends");
            h.clockAt("2026-03-10T10:29:00+08:00");
            g = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.RESOLVED, g.status(), "held for an hour");
            assertEquals(t("2026-03-10T09:29:00+08:00"), g.resolvedAt, "as of when it came back");
            assertEquals(1, of(cm, queued(h, receiver.url("/cm"), "resolved")));
        }
    }

    @Test
    @DisplayName("Back at target within its acknowledgement timeout, held for a day: it climbs to nobody while it stays back, and is resolved with only the role told hearing of it")
    void noClimbWhileBack() {
        try (AlertHarness h = harness("1d")) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00"); // sent to the centre manager; acknowledgement due 08:35
            Group cm = alerts(h, "centre_manager").get(0);
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:1" + i + ":00+08:00", true)); // back at 08:16
            }
            h.clockAt("2026-03-10T08:35:00+08:00");
            h.clockAt("2026-03-10T20:00:00+08:00");
            Group g = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.SENT, g.status(), "still firing: the hold has not ended");
            assertEquals("centre_manager", g.currentRole, "but it climbed to nobody");
            assertEquals(0, of(cm, queued(h, receiver.url("/pm"), "escalation")));
            h.clockAt("2026-03-11T08:15:59+08:00");
            assertEquals(AlertStatus.SENT, h.alerts.store().group(cm.id).status(), "a second before the day's hold ends");
            h.clockAt("2026-03-11T08:16:00+08:00");
            g = h.alerts.store().group(cm.id);
            assertEquals(AlertStatus.RESOLVED, g.status());
            assertEquals(t("2026-03-10T08:16:00+08:00"), g.resolvedAt);
            assertEquals(1, of(cm, queued(h, receiver.url("/cm"), "resolved")));
            assertEquals(0, of(cm, queued(h, receiver.url("/pm"), "resolved")), "the project manager never heard of it");
        }
    }

    @Test
    @DisplayName("Back at target, then below again within the hold: the escalation held back goes out at the next look, one timeout later at most")
    void climbsWhenItFallsAgain() {
        try (AlertHarness h = harness("1d")) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            h.clockAt("2026-03-10T08:05:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            for (int i = 1; i <= 9; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:1" + i + ":00+08:00", true)); // back at 08:16
            }
            h.clockAt("2026-03-10T08:35:00+08:00"); // held back, looked at again at 09:05
            assertEquals("centre_manager", h.alerts.store().group(cm.id).currentRole);
            h.given(followUp("FX", "2026-03-10T08:50:00+08:00", false));
            h.given(followUp("FY", "2026-03-10T08:51:00+08:00", false)); // 8/11: below again
            h.clockAt("2026-03-10T09:04:59+08:00");
            assertEquals("centre_manager", h.alerts.store().group(cm.id).currentRole, "not before the next look");
            h.clockAt("2026-03-10T09:05:00+08:00");
            assertEquals("project_manager", h.alerts.store().group(cm.id).currentRole, "climbs: it is below target");
            assertEquals(1, of(cm, queued(h, receiver.url("/pm"), "escalation")));
        }
    }

    @Test
    @DisplayName("Back at target before its window closed: the alert ends resolved and nobody is told of either")
    void resolvedBeforeSent() {
        try (AlertHarness h = harness()) {
            h.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
            for (int i = 1; i <= 6; i++) {
                h.given(followUp("F" + i, "2026-03-10T08:01:0" + i + "+08:00", true));
            }
            h.clockAt("2026-03-10T09:00:00+08:00");
            Group cm = alerts(h, "centre_manager").get(0);
            assertEquals(AlertStatus.RESOLVED, h.alerts.store().group(cm.id).status());
            assertEquals(0, h.alerts.deliveries().count(new DeliveryStore.Filter(cm.id, null, null, null)));
            assertEquals(List.of("resolved-untold"), h.alerts.store().log(cm.id).stream().map(LogEntry::action).toList());
        }
    }

    private static Event event(String line) {
        List<Event> read = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(
                line.replace("{\"type\"", "{\"id\":\"r-" + Math.abs(line.hashCode()) + "\",\"community\":\"C001\",\"type\""))),
                new EventReader.Sink() {
                    @Override
                    public void accept(Event event, int l, String t) {
                        read.add(event);
                    }

                    @Override
                    public void reject(Rejection r) {
                        throw new IllegalArgumentException(r.toString());
                    }
                });
        return read.get(0);
    }
}
