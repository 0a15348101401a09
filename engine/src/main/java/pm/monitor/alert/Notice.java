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

/**
 * One message about one alert, before it is put in a channel's format. {@code key} is the
 * idempotency key: the alert id (itself derived from its first finding's id) and how many
 * times it was escalated, so the same message sent twice carries the same key, and each
 * finding in it still carries its own stable id. An addendum (findings of the alert's window
 * routed after its message went out) carries that key and its own part after a {@code +}.
 */
public record Notice(String key, boolean addendum, String alertId, int escalation, String community, String rule, String kind,
                     String role, String routedRole, String previousRole, Duration ackTimeout, boolean emergency,
                     Instant at, Instant ackDue, ZoneId zone, List<Map<String, Object>> findings, int folded,
                     String url) {

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
        String kindName = switch (kind) {
            case "violation" -> "违规";
            case "alert" -> "警报";
            case "warning" -> "预警";
            default -> kind;
        };
        return (emergency ? "【紧急】" : "") + (addendum ? "【补充】" : escalation > 0 ? "【升级】" : "") + "【" + kindName + "】"
                + community + " " + rule + (findings.size() > 1 ? " ×" + findings.size() : "")
                + " → " + Roles.name(role);
    }

    /** The body as lines of plain text (markdown-safe: no markup of its own). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (addendum) {
            out.add("本提醒窗口内迟到的 " + findings.size() + " 条（late findings of this alert's window）");
        } else if (escalation > 0) {
            out.add(Roles.name(previousRole) + "（" + previousRole + "）未在 " + minutes(ackTimeout)
                    + " 内确认，升级至" + Roles.name(role) + "（第 " + escalation + " 级）");
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
            out.add("请于 " + Times.iso(ackDue, zone) + " 前确认: " + url);
        } else {
            out.add("详情: " + url);
        }
        out.add("key: " + key);
        return out;
    }

    public String text() {
        return title() + "\n" + String.join("\n", lines());
    }

    /** One finding: its subject, clause, when, and the deadline it missed. */
    private String line(Map<String, Object> f) {
        StringBuilder b = new StringBuilder(String.valueOf(f.get("subject")));
        Object clause = f.get("clause");
        if (clause != null) {
            b.append("（").append(clause).append("）");
        }
        b.append(" ").append(local(f.get("at")));
        Object due = f.get("dueAt");
        if (due != null && !due.equals(f.get("at"))) {
            b.append("，期限 ").append(local(due));
        }
        Object details = f.get("details");
        if (details instanceof Map<?, ?> d && d.get("households") instanceof List<?> h) {
            b.append("，").append(h.size()).append(" 户");
        }
        return b.toString();
    }

    private String local(Object iso) {
        if (iso == null) {
            return "";
        }
        try {
            return HM.format(java.time.OffsetDateTime.parse(iso.toString()).atZoneSameInstant(zone));
        } catch (RuntimeException e) {
            return iso.toString();
        }
    }

    private static String minutes(Duration d) {
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
        m.put("rule", rule);
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
