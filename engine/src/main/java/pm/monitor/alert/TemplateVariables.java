package pm.monitor.alert;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.report.Labels;
import pm.monitor.store.AlertStore;

/**
 * What a message template may name, each with its meaning in Chinese and English, and a
 * notice's values for them: strings, numbers, booleans and lists of those or of maps, nothing
 * else, so a template reaches no object of ours. Times are in the community's zone.
 */
public final class TemplateVariables {
    private TemplateVariables() {
    }

    /** One variable; {@code list} says what a section over it iterates ("text" items, or "finding" maps), null for a value. */
    public record Variable(String name, String zh, String en, String list) {
    }

    /** The notice's own variables. */
    public static final List<Variable> NOTICE = List.of(
            new Variable("title", "标题（默认消息的第一行）", "the title (the default message's first line)", null),
            new Variable("body", "正文（默认消息标题以下各行，换行分隔）", "the body (the default message's lines below the title)", null),
            new Variable("lines", "正文各行，逐行列出", "the body's lines, one by one", "text"),
            new Variable("text", "标题和正文", "title and body", null),
            new Variable("ruleName", "规则名称", "the rule's name", null),
            new Variable("rule", "规则编号", "the rule's id", null),
            new Variable("kindName", "类型（告警、违规、预警）", "the kind (alert, violation, warning)", null),
            new Variable("kind", "类型编号", "the kind's id", null),
            new Variable("communityName", "小区名称（无名称时为代码）", "the community's name (its code when it has none)", null),
            new Variable("community", "小区代码", "the community's code", null),
            new Variable("roleName", "接收角色", "the receiving role", null),
            new Variable("role", "接收角色编号", "the receiving role's id", null),
            new Variable("previousRoleName", "升级前的角色（仅升级时）", "the role it climbed from (escalations only)", null),
            new Variable("ackTimeout", "升级前角色的确认时限（仅升级时）", "the acknowledge time of the role it climbed from (escalations only)", null),
            new Variable("typeName", "消息类别（首次通知、升级通知、补充通知、已恢复通知）",
                    "the message's type in words (first notice, escalation, addendum, resolved)", null),
            new Variable("type", "消息类别编号", "the message's type: notice, escalation, addendum, resolved", null),
            new Variable("escalated", "是否为升级（真假）", "whether it is an escalation (true/false)", null),
            new Variable("escalation", "升级级数（首次为 0）", "the escalation level (0 for the first message)", null),
            new Variable("addendum", "是否为补充（真假）", "whether it is an addendum (true/false)", null),
            new Variable("resolved", "是否为已恢复通知（告警停止触发后，真假）", "whether it says the alert stopped firing (true/false)", null),
            new Variable("emergency", "是否紧急（真假）", "whether it is an emergency (true/false)", null),
            new Variable("count", "发现条数", "how many findings", null),
            new Variable("folded", "其下归并的单张工单提醒条数", "how many per-ticket findings are folded under it", null),
            new Variable("at", "发送时间（小区当地时间）", "when it was sent (the community's local time)", null),
            new Variable("ackDue", "确认期限（当地时间；无则为空）", "acknowledge by (local time; empty when none)", null),
            new Variable("url", "告警页面链接", "the link to the alert's page", null),
            new Variable("key", "消息的幂等键", "the message's idempotency key", null),
            new Variable("zone", "小区时区", "the community's time zone", null),
            new Variable("mentions", "需 @ 的手机号（逐个列出；机器人消息会自动 @，无需写入）",
                    "mobile numbers to @-mention (a robot's message mentions them by itself)", "text"),
            new Variable("mentioned", "是否有人被 @（真假）", "whether anyone is @-mentioned (true/false)", null),
            new Variable("findings", "各条发现，逐条列出（其内可用下列变量）", "the findings, one by one (with the variables below)", "finding"));

    /** The variables of one finding, inside {@code {{#findings}}…{{/findings}}}. */
    public static final List<Variable> FINDING = List.of(
            new Variable("line", "该条发现的一行说明（默认正文中的一行）", "the finding in one line (as in the default body)", null),
            new Variable("subject", "对象（工单、事件或指标期间）", "its subject (ticket, incident or KPI period)", null),
            new Variable("ticket", "工单号", "the ticket", null),
            new Variable("category", "工单类别", "the ticket's category", null),
            new Variable("summary", "业主诉求摘要", "the owner's words, in short", null),
            new Variable("at", "发生时间（当地时间）", "when it happened (local time)", null),
            new Variable("dueAt", "期限（当地时间）", "the deadline (local time)", null),
            new Variable("late", "超时多久", "how late", null),
            new Variable("clause", "手册条款", "the handbook clause", null),
            new Variable("isKpi", "是否为指标（真假）", "whether it is about a KPI (true/false)", null),
            new Variable("kpiName", "指标名称", "the KPI's name", null),
            new Variable("period", "指标期间", "the KPI's period", null),
            new Variable("value", "指标值", "the KPI's value", null),
            new Variable("target", "指标目标", "the KPI's target", null),
            new Variable("numerator", "达标数", "the KPI's count that met it", null),
            new Variable("denominator", "总数", "the KPI's count of all", null),
            new Variable("households", "涉及户数", "households involved", null),
            new Variable("persons", "涉及人数", "persons involved", null),
            new Variable("tickets", "事件的工单（顿号分隔）", "the incident's tickets", null));

    /** Names Mustache itself gives inside a list: the item, and where it stands. */
    static final Set<String> IN_LIST = Set.of(".", "this", "-first", "-last", "-index");

    static Set<String> names(List<Variable> vars) {
        Set<String> out = new LinkedHashSet<>();
        vars.forEach(v -> out.add(v.name()));
        return out;
    }

    /** What a section over {@code name} iterates: "text", "finding", or null (a value: no new names). */
    static String listOf(String name) {
        return NOTICE.stream().filter(v -> v.name().equals(name) && v.list() != null).map(Variable::list).findFirst()
                .orElse(null);
    }

    private static final Map<String, String> TYPE_NAMES = Map.of("notice", "首次通知", "escalation", "升级通知",
            "addendum", "补充通知", "resolved", "已恢复通知");

    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    /** The values of {@code n} for a template; {@code mobiles}: who the message @-mentions. */
    public static Map<String, Object> of(Notice n, List<String> mobiles) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> lines = n.lines();
        m.put("title", n.title());
        m.put("body", String.join("\n", lines));
        m.put("lines", lines);
        m.put("text", n.text());
        m.put("ruleName", Labels.rule(n.rule(), Labels.ZH));
        m.put("rule", n.rule());
        m.put("kindName", Labels.kind(n.kind(), Labels.ZH));
        m.put("kind", n.kind());
        m.put("communityName", n.communityName() == null || n.communityName().isBlank() ? n.community() : n.communityName());
        m.put("community", n.community());
        m.put("roleName", Labels.role(n.role(), Labels.ZH));
        m.put("role", n.role());
        m.put("previousRoleName", n.previousRole() == null ? "" : Labels.role(n.previousRole(), Labels.ZH));
        m.put("ackTimeout", n.ackTimeout() == null ? "" : Notice.minutes(n.ackTimeout()));
        m.put("typeName", TYPE_NAMES.getOrDefault(n.type(), n.type()));
        m.put("type", n.type());
        m.put("escalated", n.escalation() > 0 && !n.addendum());
        m.put("escalation", n.escalation());
        m.put("addendum", n.addendum());
        // a resolved notice is a type of its own when the notice has one (the alert stopped firing)
        m.put("resolved", "resolved".equals(n.type()));
        m.put("emergency", n.emergency());
        m.put("count", n.findings().size());
        m.put("folded", n.folded());
        m.put("at", n.at() == null ? "" : HM.format(n.at().atZone(n.zone())));
        m.put("ackDue", n.ackDue() == null ? "" : HM.format(n.ackDue().atZone(n.zone())));
        m.put("url", n.url() == null ? "" : n.url());
        m.put("key", n.key());
        m.put("zone", n.zone().getId());
        m.put("mentions", mobiles);
        m.put("mentioned", !mobiles.isEmpty());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Map<String, Object> f : n.findings()) {
            findings.add(finding(n, f));
        }
        m.put("findings", findings);
        return m;
    }

    private static Map<String, Object> finding(Notice n, Map<String, Object> f) {
        Map<?, ?> d = f.get("details") instanceof Map<?, ?> x ? x : Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", n.line(f));
        m.put("subject", text(f.get("subject")));
        Object ticket = d.get("ticket") != null ? d.get("ticket") : null;
        List<?> tickets = d.get("tickets") instanceof List<?> l ? l : List.of();
        Object first = ticket != null ? ticket : tickets.isEmpty() ? f.get("subject") : tickets.get(0);
        AlertStore.TicketFacts facts = n.tickets().get(String.valueOf(first));
        m.put("ticket", ticket != null ? String.valueOf(ticket) : facts != null && tickets.isEmpty() ? text(f.get("subject")) : "");
        m.put("category", facts == null || facts.category() == null ? "" : Labels.category(facts.category(), Labels.ZH));
        m.put("summary", facts == null || facts.summary() == null ? "" : facts.summary().replaceAll("\\s+", " ").trim());
        m.put("at", n.local(f.get("at")));
        m.put("dueAt", n.local(f.get("dueAt")));
        String late = f.get("dueAt") == null ? null : Notice.late(f.get("dueAt"), f.get("at"));
        m.put("late", late == null ? "" : late);
        m.put("clause", text(f.get("clause")));
        boolean kpi = d.get("kpi") != null && d.get("value") instanceof Number && d.get("target") instanceof Number;
        m.put("isKpi", kpi);
        m.put("kpiName", d.get("kpi") == null ? "" : Labels.kpi(String.valueOf(d.get("kpi")), Labels.ZH));
        m.put("period", text(d.get("period")));
        m.put("value", d.get("value") instanceof Number v ? Notice.percent(v.doubleValue()) : "");
        m.put("target", d.get("target") instanceof Number t ? Notice.percent(t.doubleValue()) : "");
        m.put("numerator", text(d.get("numerator")));
        m.put("denominator", text(d.get("denominator")));
        m.put("households", d.get("households") instanceof List<?> h ? String.valueOf(h.size()) : "");
        m.put("persons", text(d.get("persons")));
        m.put("tickets", String.join("、", tickets.stream().map(String::valueOf).toList()));
        return m;
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
