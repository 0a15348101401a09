package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.store.schema.Tables.ALERT_ITEMS;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.finding.FindingIds;
import pm.monitor.finding.Json;
import pm.monitor.store.DeliveryStore;

/**
 * Issue 17.13: two identical runs sent 17,889 and 25,779 alert groups from the same 56,635
 * findings, because a group's window closed on the routing clock and a finding routed after
 * that opened a new group. Groups are windows of event time now: the same findings, however
 * they are batched, ordered and ticked, give the same groups.
 */
class AlertGroupsReproducibleTest {
    private static final Instant START = Instant.parse("2026-03-02T01:00:00Z");

    /** 90 findings of 3 rules in 2 communities over two hours of event time (seeded, so the same each run). */
    private static List<Finding> findings() {
        Random r = new Random(17);
        String[] rules = {"complaint.contact-2h", "call.three-rings", "repair.arrival"};
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Instant at = START.plusSeconds(r.nextInt(7200));
            String rule = rules[r.nextInt(rules.length)];
            String community = r.nextBoolean() ? "C001" : "C002";
            String subject = "T" + i;
            out.add(new Finding(FindingIds.of(rule, community, subject, at, "violation"), rule, "violation", community,
                    subject, at, null, "supervisor", "TEST", new HashMap<>(), "test", ZoneId.of("Asia/Shanghai")));
        }
        return out;
    }

    /** Each group (alert id) with the findings in it, as the store has them. */
    private static Map<String, Set<String>> groups(AlertHarness h) {
        Map<String, Set<String>> out = new TreeMap<>();
        h.db.dsl().select(ALERT_ITEMS.ALERT_ID, ALERT_ITEMS.FINDING_ID).from(ALERT_ITEMS)
                .forEach(r -> out.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2()));
        return out;
    }

    /** The findings the supervisor's dashboard inbox was sent, in notices and addenda. */
    @SuppressWarnings("unchecked")
    private static Set<String> sent(AlertHarness h) {
        Set<String> ids = new TreeSet<>();
        for (DeliveryStore.Delivery d : h.alerts.deliveries().query(new DeliveryStore.Filter(null, null, "dashboard", null), 10_000, 0)) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(d.payload());
            ((List<Map<String, Object>>) m.get("findings")).forEach(f -> ids.add((String) f.get("id")));
        }
        return ids;
    }

    @Test
    @DisplayName("The same findings routed at once, or shuffled in small batches with the clock passing their windows in between, give identical groups, and every finding is sent")
    void sameFindingsSameGroups() {
        List<Finding> all = findings();
        Map<String, Set<String>> once;
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "violation", "quiet.supervisor", "none"))) {
            h.alerts.route(all);
            h.alerts.tick(START.plus(Duration.ofHours(3)));
            once = groups(h);
        }
        Map<String, Set<String>> batched;
        Set<String> sent;
        try (AlertHarness h = new AlertHarness(Map.of("route.kinds", "violation", "quiet.supervisor", "none"))) {
            List<Finding> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, new Random(4));
            for (int i = 0; i < shuffled.size(); i += 7) {
                List<Finding> chunk = shuffled.subList(i, Math.min(i + 7, shuffled.size()));
                h.alerts.route(chunk);
                // the clock runs ahead of the findings: windows close before the rest of their findings come
                Instant latest = chunk.stream().map(Finding::at).max(Instant::compareTo).orElseThrow();
                h.alerts.tick(latest.plus(Duration.ofMinutes(10 + i)));
            }
            h.alerts.tick(START.plus(Duration.ofHours(5)));
            batched = groups(h);
            sent = sent(h);
        }
        assertEquals(90, once.values().stream().mapToInt(Set::size).sum());
        assertTrue(once.size() < 90, "findings of a window share a group: " + once.size());
        assertEquals(once.size(), batched.size(), "as many groups");
        assertEquals(once, batched, "the same groups with the same findings");
        assertEquals(all.stream().map(Finding::id).collect(java.util.stream.Collectors.toCollection(TreeSet::new)), sent,
                "every finding reached the supervisor, those routed after their window's message as addenda");
    }
}
