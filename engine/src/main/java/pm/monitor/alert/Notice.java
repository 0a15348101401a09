package pm.monitor.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.calendar.Times;
import pm.monitor.report.Labels;
import pm.monitor.store.AlertStore;

/**
 * One message about one alert, before it is put in a channel's format. {@code key} is the
 * idempotency key: the alert id (itself derived from its first finding's id) and how many
 * times it was escalated, so the same message sent twice carries the same key, and each
 * finding in it still carries its own stable id.
 *
 * <p>What a person reads is in Chinese, from the labels the dashboard uses (issue 19.4): the
 * rule's and the role's names, the community's name, for a KPI its value against the target
 * with the count, for an incident its category, the owner's words and its tickets, times in
 * the community's zone; the key travels in headers and fields, not in the text. An addendum
 * (findings of the alert's window routed after its message went out) carries that key and its
 * own part after a {@code +}.
 */
public record Notice(String key, boolean addendum, String alertId, int escalation, String community, String rule, String kind,
                     String role, String routedRole, String previousRole, Duration ackTimeout, boolean emergency,
                     Instant at, Instant ackDue, ZoneId zone, List<Map<String, Object>> findings, int folded,
                     String url, String communityName, Map<String, AlertStore.TicketFacts> tickets) {

    public Notice(String key, String alertId, int escalation, String community, String rule, String kind,
                  String role, String routedRole, String previousRole, Duration ackTimeout, boolean emergency,
                  Instant at, Instant ackDue, ZoneId zone, List<Map<String, Object>> findings, int folded, String url) {
        this(key, false, alertId, escalation, community, rule, kind, role, routedRole, previousRole, ackTimeout, emergency, at,
                ackDue, zone, findings, folded, url, null, Map.of());
    }

    /** Lines listed in full; the rest are counted (group robots cap a message at about 4 KB). */
    static final int MAX_LINES = 20;

    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    public static String key(String alertId, int escalation) {
        return alertId + "-" + escalation;
    }

    public String type() {
        return addendum ? "addendum" : escalation == 0 ? "notice" : "escalation";
    }

    public String title() {
        return (emergency ? "【紧急】" : "") + (addendum ? "【补充】" : escalation > 0 ? "【升级】" : "") + "【" + Labels.kind(kind, Labels.ZH) + "】"
                + place() + " " + Labels.rule(rule, Labels.ZH) + (findings.size() > 1 ? " ×" + findings.size() : "")
                + " → " + Labels.role(role, Labels.ZH);
    }

    /** The community by its name (the code when it has none). */
    private String place() {
        return communityName == null || communityName.isBlank() ? community : communityName;
    }

    /** The body as lines of plain text (markdown-safe: no markup of its own). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (addendum) {
            out.add("本告警窗口内迟到的 " + findings.size() + " 条");
        } else if (escalation > 0) {
            out.add(Labels.role(previousRole, Labels.ZH) + "未在 " + minutes(ackTimeout) + "内确认，升级至"
                    + Labels.role(role, Labels.ZH) + "（第 " + escalation + " 级）");
        }
        int shown = 0;
        for (Map<String, Object> f : findings) {
            if (shown++ == MAX_LINES) {
                out.add("… 另有 " + (findings.size() - MAX_LINES) + " 条，见看板");
                break;
            }
            out.add("- " + line(f));
        }
        if (folded > 0) {
            out.add("其下已归并 " + folded + " 条单张工单提醒（见看板）");
        }
        if (ackDue != null) {
            out.add("请于 " + HM.format(ackDue.atZone(zone)) + " 前确认：" + url);
        } else {
            out.add("详情：" + url);
        }
        return out;
    }

    public String text() {
        return title() + "\n" + String.join("\n", lines());
    }

    /**
     * One finding in one line: for a KPI its value against the target with the count; for an
     * incident its category, households and tickets with the owner's words; for a ticket its
     * category and words, the deadline it missed and by how much; then the clause.
     */
    String line(Map<String, Object> f) {
        Map<?, ?> d = f.get("details") instanceof Map<?, ?> m ? m : Map.of();
        StringBuilder b = new StringBuilder();
        if (d.get("kpi") != null && d.get("value") instanceof Number v && d.get("target") instanceof Number target) {
            b.append(Labels.kpi(String.valueOf(d.get("kpi")), Labels.ZH)).append(' ').append(d.get("period")).append("：")
                    .append(percent(v.doubleValue()));
            if (d.get("numerator") != null && d.get("denominator") != null) {
                b.append("（").append(d.get("numerator")).append('/').append(d.get("denominator")).append("）");
            }
            b.append("，目标 ").append(percent(target.doubleValue()));
        } else if (d.get("tickets") instanceof List<?> list && !list.isEmpty()) {
            AlertStore.TicketFacts first = tickets.get(String.valueOf(list.get(0)));
            b.append("事件 ").append(f.get("subject"));
            if (first != null && first.category() != null) {
                b.append("（").append(Labels.category(first.category(), Labels.ZH)).append("）");
            }
            if (d.get("households") instanceof List<?> h) {
                b.append("，").append(h.size()).append(" 户");
            }
            if (d.get("persons") != null) {
                b.append(" ").append(d.get("persons")).append(" 人");
            }
            b.append("，工单 ").append(String.join("、", list.stream().limit(10).map(String::valueOf).toList()));
            if (list.size() > 10) {
                b.append(" 等 ").append(list.size()).append(" 张");
            }
            if (first != null && first.summary() != null && !first.summary().isBlank()) {
                b.append("：“").append(clip(first.summary(), 60)).append("”");
            }
        } else {
            Object ticket = d.get("ticket") != null ? d.get("ticket") : f.get("subject");
            AlertStore.TicketFacts facts = tickets.get(String.valueOf(ticket));
            b.append(d.get("ticket") != null || facts != null ? "工单 " : "").append(f.get("subject"));
            if (facts != null && facts.category() != null) {
                b.append("（").append(Labels.category(facts.category(), Labels.ZH)).append("）");
            }
            if (facts != null && facts.summary() != null && !facts.summary().isBlank()) {
                b.append("“").append(clip(facts.summary(), 40)).append("”");
            }
            Object due = f.get("dueAt");
            if (due != null) {
                b.append("，期限 ").append(local(due));
                String late = late(due, f.get("at"));
                if (late != null) {
                    b.append("，已超时 ").append(late);
                }
            } else {
                b.append("，").append(local(f.get("at")));
            }
        }
        Object clause = f.get("clause");
        if (clause != null) {
            b.append("（").append(clause).append("）");
        }
        return b.toString();
    }

    static String percent(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String clip(String s, int max) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }

    /** How long after the deadline the finding came, in words; null when not after it. */
    static String late(Object due, Object at) {
        try {
            Duration d = Duration.between(java.time.OffsetDateTime.parse(due.toString()),
                    java.time.OffsetDateTime.parse(String.valueOf(at)));
            if (d.isNegative() || d.isZero()) {
                return null;
            }
            long m = d.toMinutes();
            return m < 60 ? m + " 分钟" : m < 48 * 60 ? (m / 60) + " 小时" + (m % 60 == 0 ? "" : " " + (m % 60) + " 分钟")
                    : (m / 1440) + " 天";
        } catch (RuntimeException e) {
            return null;
        }
    }

    String local(Object iso) {
        if (iso == null) {
            return "";
        }
        try {
            return HM.format(java.time.OffsetDateTime.parse(iso.toString()).atZoneSameInstant(zone));
        } catch (RuntimeException e) {
            return iso.toString();
        }
    }

    static String minutes(Duration d) {
        return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " 分钟" : d.toSeconds() + " 秒";
    }

    /** The generic webhook's body (and the dashboard's live event): everything, as JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("type", type());
        m.put("alert", alertId);
        m.put("escalation", escalation);
        m.put("community", community);
        m.put("communityName", communityName);
        m.put("rule", rule);
        m.put("ruleName", Labels.rule(rule, Labels.ZH));
        m.put("kind", kind);
        m.put("role", role);
        m.put("routedRole", routedRole);
        m.put("emergency", emergency);
        m.put("at", Times.iso(at, zone));
        m.put("ackDue", ackDue == null ? null : Times.iso(ackDue, zone));
        m.put("title", title());
        m.put("text", String.join("\n", lines()));
        m.put("url", url);
        m.put("count", findings.size());
        m.put("folded", folded);
        m.put("findings", findings);
        return m;
    }
}
