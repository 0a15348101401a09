package pm.monitor.kpi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rules' duties count toward which KPI, as the rules say in their {@code @kpi("...")}
 * annotations (read by {@code RuleSet#kpis}): a new rule joins a KPI without a Java change.
 * Only the KPIs made of duties are named this way ({@link #FROM_DUTIES}); the others are counted
 * from events (satisfaction from follow-ups, calls from calls, rework from reopenings, complaints
 * by category from complaints received).
 */
public class KpiMembership {
    /** The KPIs whose counting follows rules' duties, so a rule may name them in {@code @kpi}. */
    public static final List<String> FROM_DUTIES = List.of(KpiIds.TIMELINESS, KpiIds.RESPONSE, KpiIds.FOLLOW_UP,
            KpiIds.REPAIR_TIMELINESS, KpiIds.REPAIR_COMPLETION, KpiIds.PATROL_COVERAGE);

    public static final int TIMELINESS = 1;
    public static final int RESPONSE = 1 << 1;
    public static final int FOLLOW_UP = 1 << 2;
    public static final int REPAIR_TIMELINESS = 1 << 3;
    public static final int REPAIR_COMPLETION = 1 << 4;
    public static final int PATROL_COVERAGE = 1 << 5;

    public static final KpiMembership NONE = new KpiMembership(Map.of());

    /**
     * How a rules version stored before {@code @kpi} existed counted (a restart may fall back on
     * it, a rollback may put it back): every violation duty on a ticket toward timeliness and
     * response, {@code repair.*} toward repair timeliness, and the three rules the KPIs were
     * defined by. For such stored versions only; a folder says its KPIs in its DRL.
     */
    public static final KpiMembership BEFORE_ANNOTATIONS = new KpiMembership(Map.of()) {
        @Override
        public int of(String rule) {
            int b = TIMELINESS | RESPONSE;
            if (rule.startsWith("repair.")) {
                b |= REPAIR_TIMELINESS;
            }
            if (rule.equals("repair.two-working-days")) {
                b |= REPAIR_COMPLETION;
            }
            if (rule.equals("complaint.follow-up")) {
                b |= FOLLOW_UP;
            }
            if (rule.equals("patrol.daily")) {
                b = PATROL_COVERAGE; // a patrol day is no ticket: it counted toward coverage only
            }
            return b;
        }
    };

    /** rule id → the bits of the KPIs it counts toward ({@link #FROM_DUTIES} order) */
    private final Map<String, Integer> bits = new HashMap<>();

    /** @param kpis rule id → the KPI ids of its {@code @kpi} annotations */
    public KpiMembership(Map<String, ? extends Set<String>> kpis) {
        kpis.forEach((rule, ids) -> {
            int b = 0;
            for (String kpi : ids) {
                int i = FROM_DUTIES.indexOf(kpi);
                if (i < 0) {
                    throw new IllegalArgumentException("rule " + rule + ": @kpi " + kpi + " is not one of " + FROM_DUTIES);
                }
                b |= 1 << i;
            }
            bits.put(rule, b);
        });
    }

    /** The bits of the KPIs the duties of this rule id count toward (0: none). */
    public int of(String rule) {
        Integer b = bits.get(rule);
        return b == null ? 0 : b;
    }
}
