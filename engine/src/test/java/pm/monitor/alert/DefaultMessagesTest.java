package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.store.AlertStore;

/**
 * Without a stored template every channel's payload is byte for byte what the hard-coded
 * formats gave: {@code default-messages.txt} was written by the code before templates existed,
 * from the same notices (a violation, a KPI, a collective complaint, an escalation, an addendum,
 * an emergency with folded findings, one past the 20-line and 4000-byte limits), each in every
 * channel, with and without @-mentions.
 */
class DefaultMessagesTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static List<Notice> notices() {
        Instant at = Instant.parse("2026-03-02T04:00:00Z");
        String url = "https://m.example.com/alerts.html#a0123456789abcdef0123";
        Map<String, AlertStore.TicketFacts> facts = Map.of("T7", new AlertStore.TicketFacts("environment", "楼道垃圾两天没人清"),
                "T1", new AlertStore.TicketFacts("equipment", "电梯停运一整天"));
        List<Notice> out = new ArrayList<>();
        out.add(new Notice("a0-0", false, "a0", 0, "C0002", "sample.reply-same-day", "violation", "supervisor",
                "supervisor", null, null, false, at, Instant.parse("2026-03-02T04:30:00Z"), SHANGHAI, List.of(
                map("subject", "T7", "at", "2026-03-03T00:30:00+08:00", "dueAt", "2026-03-03T00:00:00+08:00",
                        "clause", "CODE 4.4.2", "details", map("ticket", "T7"))), 0, url, "翠湖苑", facts));
        out.add(new Notice("a1-0", false, "a1", 0, "C0002", "sample.kpi-low", "alert", "supervisor", "supervisor", null, null,
                false, at, null, SHANGHAI, List.of(map("subject", "2026-04", "at", "2026-04-02T16:00:00+08:00",
                "details", map("kpi", "kpi.response", "period", "2026-04", "value", 0.95, "target", 1.0,
                        "numerator", 19, "denominator", 20))), 0, url, null, Map.of()));
        out.add(new Notice("a2-0", false, "a2", 0, "C0002", "sample.collective", "alert", "general_manager",
                "general_manager", null, null, true, at, Instant.parse("2026-03-02T04:30:00Z"), SHANGHAI,
                List.of(map("subject", "INC-9", "at", "2026-03-02T10:00:00+08:00", "clause", "CODE 4.5.1",
                        "details", map("incident", "INC-9", "households", List.of("1-101", "1-102", "1-103"),
                                "persons", 12, "tickets", List.of("T1", "T2", "T3")))), 4, url, "翠湖苑", facts));
        out.add(new Notice("a3-1", false, "a3", 1, "C0002", "sample.three-rings", "alert", "centre_manager", "supervisor",
                "supervisor", Duration.ofMinutes(30), false, at, Instant.parse("2026-03-02T05:00:00Z"), SHANGHAI,
                List.of(map("subject", "K1", "at", "2026-03-02T09:00:00+08:00", "details", Map.of())), 0, url, "翠湖苑",
                Map.of()));
        out.add(new Notice("a4-0+abc", true, "a4", 0, "C0002", "sample.three-rings", "violation", "supervisor", "supervisor",
                null, null, false, at, null, SHANGHAI, List.of(
                map("subject", "K2", "at", "2026-03-02T09:01:00+08:00", "details", Map.of()),
                map("subject", "K3", "at", "2026-03-02T09:02:00+08:00", "details", Map.of())), 0, url, "翠湖苑", Map.of()));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("subject", "T" + (100 + i));
            f.put("at", "2026-03-03T0" + (i % 10) + ":30:00+08:00");
            f.put("dueAt", "2026-03-03T00:00:00+08:00");
            f.put("clause", "CODE 4.4.2");
            f.put("details", map("ticket", "T" + (100 + i)));
            many.add(f);
        }
        Map<String, AlertStore.TicketFacts> longFacts = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            longFacts.put("T" + (100 + i), new AlertStore.TicketFacts("environment", "楼道垃圾两天没人清，业主非常不满意，要求物业立即处理并给出书面答复".repeat(2)));
        }
        out.add(new Notice("a5-0", false, "a5", 0, "C0002", "sample.reply-same-day", "violation", "supervisor",
                "supervisor", null, null, false, at, null, SHANGHAI, many, 0, url, "翠湖苑", longFacts));
        return out;
    }

    /** A map that keeps its order (Map.of's changes from one JVM to the next, and the webhook's JSON with it). */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

static String renderAll() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (Notice n : notices()) {
            for (String channel : List.of("email", "webhook", "wecom", "dingtalk", "dashboard")) {
                for (List<String> mobiles : List.of(List.<String>of(), List.of("13800000001", "13800000002"))) {
                    b.append("=== ").append(i).append(' ').append(channel).append(' ').append(mobiles).append('\n');
                    b.append(Formats.render(channel, n, mobiles)).append('\n');
                }
            }
            i++;
        }
        return b.toString();
    }

    @Test
    @DisplayName("with no stored template every channel's payload is byte for byte what the hard-coded formats gave")
    void defaultsAreTodaysMessages() throws IOException {
        String expected;
        try (InputStream in = DefaultMessagesTest.class.getResourceAsStream("/alert/default-messages.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, renderAll());
    }
}
