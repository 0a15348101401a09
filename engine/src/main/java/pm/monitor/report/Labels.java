package pm.monitor.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the quality department calls things, in Chinese and English: KPIs, complaint
 * categories, rules, roles, finding kinds, event types. One place for both the page (served as
 * JSON) and the monthly report's headers. Names follow HANDBOOK-RULES.md; an id with no name
 * is shown as the id. Rules are named in their DRL ({@code @zh}, {@code @en}): {@link pm.monitor.rules.LiveRuleMetadata}.
 */
public final class Labels {
    private Labels() {
    }

    public static final String ZH = "zh";
    public static final String EN = "en";

    private static final Map<String, String[]> KPI = table(
            "kpi.timeliness", "报事处理及时率", "Timeliness",
            "kpi.response", "事务响应率", "Response rate",
            "kpi.follow-up", "投诉回访率", "Complaint follow-up rate",
            "kpi.satisfaction", "业户满意率", "Owner satisfaction",
            "kpi.repair-timeliness", "维修及时率", "Repair timeliness",
            "kpi.repair-completion", "维修完成率", "Repair completion",
            "kpi.rework", "返修率", "Rework rate",
            "kpi.calls", "电话接听及时率", "Calls answered in time",
            "kpi.patrol-coverage", "巡查完成率", "Patrol coverage",
            "kpi.complaints-by-category", "投诉分类统计", "Complaints by category");

    private static final Map<String, String[]> CATEGORY = table(
            "housing", "房屋管理", "Housing",
            "equipment", "设备管理", "Equipment",
            "security", "安全管理", "Security",
            "environment", "环境管理", "Environment",
            "service", "综合服务", "General service",
            "dispute", "业户纠纷", "Owner disputes",
            "developer", "地产相关", "Developer-related",
            "other", "其它", "Other",
            "collective", "集体投诉", "Collective",
            "major", "重大投诉", "Major",
            "repeat", "重复投诉", "Repeat");

    /**
     * Findings the engine itself makes, not a rule of the folder (so no DRL names them): an open
     * ticket archived for being untouched (issue 17.16). Rules are named in their DRL.
     */
    private static final Map<String, String[]> ENGINE_FINDING = table(
            "ticket.dormant", "长期未动工单已归档", "Untouched open ticket archived");

    private static final Map<String, String[]> ROLE = table(
            "front_desk", "前台接待", "Front desk",
            "assistant", "客服助理", "Assistant",
            "environment_specialist", "环境专员", "Environment specialist",
            "building_manager", "楼管员", "Building manager",
            "supervisor", "客服主管", "Supervisor",
            "centre_manager", "服务中心经理", "Centre manager",
            "project_manager", "项目经理", "Project manager",
            "general_manager", "公司总经理", "General manager",
            "quality", "品质部", "Quality department",
            "developer_cs", "地产公司客户服务中心", "Developer CS centre",
            "engineering", "工程部", "Engineering");

    private static final Map<String, String[]> KIND = table(
            "violation", "违规", "Violation",
            "alert", "警报", "Alert",
            "warning", "预警", "Warning");

    private static final Map<String, String[]> EVENT = table(
            "community.registered", "小区登记", "Community registered",
            "building.registered", "楼栋登记", "Building registered",
            "ticket.received", "受理", "Received",
            "ticket.classified", "分类变更", "Classified",
            "ticket.contacted", "联系业户", "Owner contacted",
            "ticket.dispatched", "派单", "Dispatched",
            "ticket.arrived", "到场", "Arrived",
            "ticket.resolved", "处理完成", "Resolved",
            "ticket.replied", "答复业户", "Replied",
            "ticket.progress", "告知进展", "Progress told",
            "ticket.followed_up", "回访", "Followed up",
            "ticket.reopened", "重新处理", "Reopened",
            "ticket.flagged", "诉讼/媒体", "Flagged",
            "ticket.escalated", "升级", "Escalated",
            "ticket.reported", "上报", "Reported",
            "ticket.closed", "关闭", "Closed",
            "call.answered", "来电接听", "Call answered",
            "call.missed", "来电未接", "Call missed",
            "patrol.completed", "巡查完成", "Patrol completed",
            "patrol.issue_found", "巡查发现问题", "Patrol issue found",
            "patrol.issue_resolved", "问题已整改", "Issue resolved",
            "patrol.issue_verified", "整改已验证", "Issue verified",
            "patrol.reviewed", "巡查记录已审核", "Patrol records reviewed");

    private static final Map<String, String[]> TICKET_KIND = table(
            "complaint", "投诉", "Complaint",
            "repair", "报修", "Repair",
            "inquiry", "咨询", "Inquiry",
            "help", "求助", "Help request");

    private static final Map<String, String[]> CHANNEL = table(
            "phone", "电话", "Phone",
            "visit", "来访", "Visit",
            "verbal", "口头", "Verbal",
            "written", "书面", "Written",
            "email", "邮件", "E-mail",
            "app", "App", "App",
            "patrol", "巡查", "Patrol",
            "developer", "地产转来", "From the developer",
            // where alerts go (the roster's channels)
            "webhook", "网络回调", "Webhook",
            "wecom", "企业微信", "WeCom",
            "dingtalk", "钉钉", "DingTalk",
            "dashboard", "看板", "Dashboard");

    private static final Map<String, String[]> VALIDITY = table(
            "valid", "有效投诉", "Valid",
            "assist", "协助处理投诉", "Assist",
            "invalid", "无效投诉", "Invalid");

    private static final Map<String, String[]> URGENCY = table(
            "emergency", "紧急", "Emergency",
            "special", "加急", "Special",
            "normal", "一般", "Normal");

    private static final Map<String, String[]> METHOD = table(
            "phone", "电话", "Phone",
            "visit", "上门", "Home visit",
            "written", "书面", "In writing",
            "in_person", "当面", "In person");

    private static final Map<String, String[]> STATE = table(
            "open", "未到期", "Open",
            "met", "已完成", "Met",
            "waived", "免除", "Waived",
            "breached", "已违规", "Breached");

    private static Map<String, String[]> table(String... triples) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            m.put(triples[i], new String[] {triples[i + 1], triples[i + 2]});
        }
        return m;
    }

    private static String pick(Map<String, String[]> table, String id, String lang) {
        String[] names = table.get(id);
        return names == null ? id : EN.equals(lang) ? names[1] : names[0];
    }

    public static String kpi(String id, String lang) {
        return pick(KPI, id, lang);
    }

    public static String category(String id, String lang) {
        return pick(CATEGORY, id, lang);
    }

    /** A rule's name; a KPI's alert rule (its id is the KPI's) is named after the KPI. */
    public static String rule(String id, String lang) {
        if (!pm.monitor.rules.LiveRuleMetadata.names().containsKey(id) && KPI.containsKey(id)) {
            return kpi(id, lang) + (EN.equals(lang) ? " below target" : "低于目标");
        }
        if (ENGINE_FINDING.containsKey(id)) {
            return pick(ENGINE_FINDING, id, lang);
        }
        return pick(pm.monitor.rules.LiveRuleMetadata.names(), id, lang);
    }

    public static String role(String id, String lang) {
        return pick(ROLE, id, lang);
    }

    public static String kind(String id, String lang) {
        return pick(KIND, id, lang);
    }

    public static String lang(String requested) {
        return EN.equals(requested) ? EN : ZH;
    }

    /** Every table in one language, for the page. */
    public static Map<String, Map<String, String>> all(String lang) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put("kpi", flatten(KPI, lang));
        out.put("category", flatten(CATEGORY, lang));
        Map<String, String> rules = flatten(new java.util.TreeMap<>(pm.monitor.rules.LiveRuleMetadata.names()), lang);
        KPI.keySet().forEach(k -> rules.put(k, rule(k, lang)));
        ENGINE_FINDING.keySet().forEach(k -> rules.put(k, rule(k, lang)));
        out.put("rule", rules);
        out.put("role", flatten(ROLE, lang));
        out.put("kind", flatten(KIND, lang));
        out.put("event", flatten(EVENT, lang));
        out.put("ticketKind", flatten(TICKET_KIND, lang));
        out.put("state", flatten(STATE, lang));
        out.put("channel", flatten(CHANNEL, lang));
        out.put("validity", flatten(VALIDITY, lang));
        out.put("urgency", flatten(URGENCY, lang));
        out.put("method", flatten(METHOD, lang));
        return out;
    }

    private static Map<String, String> flatten(Map<String, String[]> table, String lang) {
        Map<String, String> m = new LinkedHashMap<>();
        table.keySet().forEach(k -> m.put(k, pick(table, k, lang)));
        return m;
    }
}
