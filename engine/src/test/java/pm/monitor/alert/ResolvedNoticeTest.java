package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.kpi.KpiRecovered;

/**
 * Issue 19, the resolved notice people read: 【已恢复】, the KPI's Chinese name, the community's
 * name, the periods, each value against the target with the count, when (community's local
 * time), the link; the key (ALERT-N+resolved) travels in the e-mail's Message-ID, not the text.
 */
class ResolvedNoticeTest {

    private static Notice resolved() {
        Instant at = Instant.parse("2026-03-10T00:46:00Z");
        List<KpiRecovered> back = List.of(
                new KpiRecovered("kpi.satisfaction", "C0002", "2026-03", 6.0 / 7, 6, 7, 0.85, at),
                new KpiRecovered("kpi.satisfaction", "C0002", "2026-W11", 6.0 / 7, 6, 7, 0.85, at));
        return new Notice("a0123456789abcdef0123-1+resolved", false, "a0123456789abcdef0123", 1, "C0002",
                "kpi.satisfaction", "alert", "project_manager", "centre_manager", null, null, false, at, null,
                ZoneId.of("Asia/Shanghai"), List.of(), 0, "https://m.example.com/alerts.html#a0123456789abcdef0123", "翠湖苑",
                Map.of(), back);
    }

    @Test
    @DisplayName("title and lines in Chinese: the KPI, the community, both periods, value vs target with the count, local time, link")
    void inChinese() {
        Notice n = resolved();
        assertEquals("resolved", n.type());
        assertEquals("【已恢复】翠湖苑 业户满意率 2026-03、2026-W11 → 项目经理", n.title());
        assertEquals(List.of("- 业户满意率 2026-03 已恢复：85.7%（6/7），目标 85.0%",
                "- 业户满意率 2026-W11 已恢复：85.7%（6/7），目标 85.0%", "恢复时间 03-10 08:46，不再升级",
                "详情：https://m.example.com/alerts.html#a0123456789abcdef0123"), n.lines());
        assertFalse(n.text().contains("kpi.satisfaction") || n.text().contains("+resolved"), n.text());
    }

    @Test
    @DisplayName("in each channel: the webhook says type resolved and when; e-mail's Message-ID is the key")
    @SuppressWarnings("unchecked")
    void channels() {
        Notice n = resolved();
        Map<String, Object> hook = (Map<String, Object>) Json.parse(Formats.render("webhook", n));
        assertEquals("resolved", hook.get("type"));
        assertEquals("2026-03-10T08:46:00+08:00", hook.get("resolvedAt"));
        Map<String, Object> mail = (Map<String, Object>) Json.parse(Formats.render("email", n));
        assertEquals("<a0123456789abcdef0123-1+resolved@pm-monitor>", mail.get("messageId"));
        Map<String, Object> ding = (Map<String, Object>) Json.parse(Formats.render("dingtalk", n));
        assertTrue(((String) ((Map<String, Object>) ding.get("markdown")).get("text")).startsWith("#### 【已恢复】翠湖苑"));
    }
}
