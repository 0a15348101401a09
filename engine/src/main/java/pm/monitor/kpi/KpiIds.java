package pm.monitor.kpi;

import java.util.List;

/** The KPI ids of HANDBOOK-RULES.md "KPIs 指标", and the parameter holding each target. */
public final class KpiIds {
    private KpiIds() {
    }

    public static final String TIMELINESS = "kpi.timeliness";
    public static final String RESPONSE = "kpi.response";
    public static final String FOLLOW_UP = "kpi.follow-up";
    public static final String SATISFACTION = "kpi.satisfaction";
    public static final String REPAIR_TIMELINESS = "kpi.repair-timeliness";
    public static final String REPAIR_COMPLETION = "kpi.repair-completion";
    public static final String REWORK = "kpi.rework";
    public static final String CALLS = "kpi.calls";
    public static final String PATROL_COVERAGE = "kpi.patrol-coverage";
    public static final String COMPLAINTS_BY_CATEGORY = "kpi.complaints-by-category";

    public static final List<String> ALL = List.of(TIMELINESS, RESPONSE, FOLLOW_UP, SATISFACTION, REPAIR_TIMELINESS,
            REPAIR_COMPLETION, REWORK, CALLS, PATROL_COVERAGE, COMPLAINTS_BY_CATEGORY);

    /** The parameter with the KPI's target, or null for a KPI that is only reported. */
    public static String targetParameter(String kpi) {
        return switch (kpi) {
            case TIMELINESS, RESPONSE, FOLLOW_UP, SATISFACTION, REPAIR_TIMELINESS, PATROL_COVERAGE -> kpi + ".target";
            default -> null;
        };
    }
}
