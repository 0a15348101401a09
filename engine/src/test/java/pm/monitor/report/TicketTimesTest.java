package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.store.ReportStore.TicketSteps;
import pm.monitor.support.Rules;

class TicketTimesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");

    private static TicketSteps ticket(String community, String category, String channel, Integer contactMin,
                                      Integer resolvedMin, Integer followUpMin) {
        return new TicketSteps(community, community + "-" + category + contactMin, "complaint", category, channel, T0,
                contactMin == null ? null : T0.plusSeconds(60L * contactMin), null, null,
                resolvedMin == null ? null : T0.plusSeconds(60L * resolvedMin),
                followUpMin == null ? null : T0.plusSeconds(60L * followUpMin));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(Map<String, Object> row, String metric) {
        return (Map<String, Object>) ((Map<String, Object>) row.get("metrics")).get(metric);
    }

    @Test
    @DisplayName("median and p90 interpolate between ranks; tickets not yet at a step are not in it; follow-up counts from the resolution")
    @SuppressWarnings("unchecked")
    void medianAndP90() {
        List<TicketSteps> steps = new ArrayList<>();
        for (int m = 1; m <= 10; m++) {
            steps.add(ticket("C1", "service", "phone", m * 10, m * 100, m * 100 + 30));
        }
        steps.add(ticket("C1", "service", "phone", null, null, null)); // received, nothing since
        Map<String, Object> t = TicketTimes.build(steps, "community", Rules.real());
        Map<String, Object> total = (Map<String, Object>) t.get("total");
        assertEquals(11, total.get("tickets"));
        assertEquals(10, metric(total, "contact").get("n"));
        assertEquals(55.0, metric(total, "contact").get("median"));   // between 50 and 60
        assertEquals(91.0, metric(total, "contact").get("p90"));      // 90 + 0.1 × (100 − 90)
        assertEquals(30.0, metric(total, "follow-up").get("median")); // every follow-up 30 min after its resolution
        assertEquals(0, metric(total, "reply").get("n"));
        assertNull(metric(total, "reply").get("median"));
    }

    @Test
    @DisplayName("rows per category add up to the total, in natural order of their key when tied, most tickets first")
    @SuppressWarnings("unchecked")
    void groupsAddUp() {
        List<TicketSteps> steps = List.of(ticket("Q10", "housing", "phone", 5, null, null),
                ticket("Q2", "housing", "visit", 7, null, null), ticket("Q3", "service", "visit", 9, null, null));
        Map<String, Object> byCommunity = TicketTimes.build(steps, "community", Rules.real());
        List<Map<String, Object>> rows = (List<Map<String, Object>>) byCommunity.get("rows");
        assertEquals(List.of("Q2", "Q3", "Q10"), rows.stream().map(r -> r.get("key")).toList());
        Map<String, Object> byChannel = TicketTimes.build(steps, "channel", Rules.real());
        int sum = ((List<Map<String, Object>>) byChannel.get("rows")).stream().mapToInt(r -> (int) r.get("tickets")).sum();
        assertEquals(3, sum);
        assertEquals(3, ((Map<String, Object>) byChannel.get("total")).get("tickets"));
    }

    @Test
    @DisplayName("each step's handbook limits come from the rules that measure it (@measures) and the parameters file")
    @SuppressWarnings("unchecked")
    void limitsFromTheRules() {
        var limits = (Map<String, List<Map<String, Object>>>) TicketTimes.build(List.of(), "community", Rules.real()).get("limits");
        Map<String, Object> contact = limits.get("contact").get(0);
        assertEquals("complaint.contact-2h", contact.get("rule"));
        var params = Rules.real().parameters().defaults();
        assertEquals(((pm.monitor.calendar.Limit) params.get("complaint.contact-2h.limit")).duration().toMinutes(),
                ((List<Map<String, Object>>) contact.get("limits")).get(0).get("minutes"));
        assertEquals(3, ((List<?>) limits.get("arrival").get(0).get("limits")).size(), "emergency, special, normal");
        for (String metric : TicketTimes.METRICS) {
            assertTrue(!limits.get(metric).isEmpty(), metric + " has a handbook limit beside it");
        }
    }
}
