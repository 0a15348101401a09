package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.store.AlertStore;

/**
 * Issue 19.4: messages people act on — the rule and the community by their Chinese names, a
 * KPI's value against its target with the count, an incident's category, words and tickets,
 * deadlines and "acknowledge by" in the community's local time, no key line in a group chat,
 * and WeCom/DingTalk @-mentions of the mobile numbers on the roster.
 */
class MessagesTest {

    /** Messages name rules by the loaded rule set's names: load it here, not by luck of test order. */
    @BeforeAll
    static void rules() {
        pm.monitor.support.Rules.real();
    }
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Notice notice(String rule, String kind, List<Map<String, Object>> findings,
                                 Map<String, AlertStore.TicketFacts> tickets) {
        return new Notice("a0123456789abcdef0123-0", false, "a0123456789abcdef0123", 0, "C0002", rule, kind, "supervisor",
                "supervisor", null, null, false, Instant.parse("2026-03-02T04:00:00Z"),
                Instant.parse("2026-03-02T04:30:00Z"), SHANGHAI, findings, 0,
                "https://m.example.com/alerts.html#a0123456789abcdef0123", "翠湖苑", tickets);
    }

    @Test
    @DisplayName("a violation: Chinese rule and community names, the ticket's category and words, local deadline and lateness; no slug, no key")
    void violation() {
        Notice n = notice("complaint.verbal-reply-same-day", "violation", List.of(
                Map.of("subject", "T7", "at", "2026-03-03T00:30:00+08:00", "dueAt", "2026-03-03T00:00:00+08:00",
                        "clause", "CODE 4.4.2", "details", Map.of("ticket", "T7"))),
                Map.of("T7", new AlertStore.TicketFacts("environment", "楼道垃圾两天没人清")));
        assertEquals("【违规】翠湖苑 口头投诉当日答复 → 客服主管", n.title());
        String text = n.text();
        assertTrue(text.contains("工单 T7（环境管理）“楼道垃圾两天没人清”，期限 03-03 00:00，已超时 30 分钟（CODE 4.4.2）"), text);
        assertTrue(text.contains("请于 03-02 12:30 前确认：https://m.example.com/alerts.html#a0123456789abcdef0123"), text);
        assertFalse(text.contains("key:"), text);
        assertFalse(text.contains("complaint.verbal-reply-same-day") || text.contains("T04:30") || text.contains("+08:00"), text);
    }

    @Test
    @DisplayName("a KPI below target: its value against the target with the count")
    void kpi() {
        Notice n = notice("kpi.response", "alert", List.of(Map.of("subject", "2026-04", "at", "2026-04-02T16:00:00+08:00",
                "details", Map.of("kpi", "kpi.response", "period", "2026-04", "value", 0.95, "target", 1.0,
                        "numerator", 19, "denominator", 20))), Map.of());
        assertTrue(n.title().contains("事务响应率低于目标"), n.title());
        assertTrue(n.text().contains("事务响应率 2026-04：95.0%（19/20），目标 100.0%"), n.text());
    }

    @Test
    @DisplayName("a collective complaint: its category, households, tickets and the owners' words")
    void collective() {
        Notice n = notice("complaint.collective", "alert", List.of(Map.of("subject", "INC-9", "at", "2026-03-02T10:00:00+08:00",
                "details", Map.of("incident", "INC-9", "households", List.of("1-101", "1-102", "1-103", "1-104", "1-105"),
                        "tickets", List.of("T1", "T2", "T3", "T4", "T5")))),
                Map.of("T1", new AlertStore.TicketFacts("equipment", "电梯停运一整天")));
        assertTrue(n.text().contains("事件 INC-9（设备管理），5 户，工单 T1、T2、T3、T4、T5：“电梯停运一整天”"), n.text());
    }

    @Test
    @DisplayName("WeCom and DingTalk @-mention the roster's mobile numbers; without any, WeCom keeps markdown")
    @SuppressWarnings("unchecked")
    void mentions() {
        Notice n = notice("call.three-rings", "violation", List.of(Map.of("subject", "K1", "at", "2026-03-02T09:00:00+08:00",
                "details", Map.of())), Map.of());
        Map<String, Object> ding = (Map<String, Object>) Json.parse(Formats.render("dingtalk", n, List.of("13800000001")));
        assertEquals(List.of("13800000001"), ((Map<String, Object>) ding.get("at")).get("atMobiles"));
        assertTrue(((String) ((Map<String, Object>) ding.get("markdown")).get("text")).contains("@13800000001"));
        Map<String, Object> wecom = (Map<String, Object>) Json.parse(Formats.render("wecom", n, List.of("13800000001")));
        assertEquals("text", wecom.get("msgtype"));
        assertEquals(List.of("13800000001"), ((Map<String, Object>) wecom.get("text")).get("mentioned_mobile_list"));
        assertEquals("markdown", ((Map<String, Object>) Json.parse(Formats.render("wecom", n, List.of()))).get("msgtype"));
    }

    @Test
    @DisplayName("an escalation names the roles in Chinese, without their ids")
    void escalation() {
        Notice n = new Notice("k", false, "a1", 1, "C0002", "kpi.response", "alert", "centre_manager", "supervisor", "supervisor",
                Duration.ofMinutes(30), false, Instant.parse("2026-03-02T04:00:00Z"), null, SHANGHAI, List.of(), 0, "u",
                null, Map.of());
        assertEquals("客服主管未在 30 分钟内确认，升级至服务中心经理（第 1 级）", n.lines().get(0));
        assertTrue(n.title().contains("C0002"), "no name registered: the code");
    }

    @Test
    @DisplayName("a receiver that is down is named with the cause in words, not \"ConnectException: null\"")
    void unreachableReceiver() {
        String why = HttpSender.unreachable(new java.util.concurrent.CompletionException(new java.net.ConnectException()),
                "http://127.0.0.1:9/C001");
        assertEquals("cannot reach 127.0.0.1:9: connection refused or host unreachable (ConnectException)", why);
    }
}
