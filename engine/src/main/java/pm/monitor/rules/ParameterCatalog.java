package pm.monitor.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters the rules may ask for, and the type of each. Values live in
 * {@code rules/parameters.conf} (with the handbook's numbers as defaults); this table only
 * says what is a parameter, so that a misspelt name or a value of the wrong type is an error
 * with its file and line instead of a rule that silently uses nothing.
 */
public final class ParameterCatalog {
    private ParameterCatalog() {
    }

    public enum Type {
        /** a {@link Limit}: 2h, 30min, 2wd, same day */
        LIMIT("a limit like 2h, 30min, 3d, 2wd or same day"),
        /** a wall-clock window: 24h, 30d */
        DURATION("a duration like 30s, 5min, 24h or 30d"),
        /** a whole number ≥ 1 */
        COUNT("a whole number of at least 1"),
        /** 0%–100% */
        PERCENT("a percentage from 0% to 100%, like 90%"),
        /** true or false: {@code <rule id>.enabled} switches a rule off (per community, in a section) */
        BOOL("true or false");

        final String expected;

        Type(String expected) {
            this.expected = expected;
        }
    }

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    private static void p(String key, Type type) {
        TYPES.put(key, type);
    }

    static {
        p("complaint.contact-2h.limit", Type.LIMIT);
        p("complaint.invalid-reply-2h.limit", Type.LIMIT);
        p("complaint.onspot-reply-2h.limit", Type.LIMIT);
        p("complaint.verbal-reply-same-day.limit", Type.LIMIT);
        p("complaint.written-reply-2wd.limit", Type.LIMIT);
        p("complaint.assist-progress.interval", Type.LIMIT);
        p("complaint.follow-up.limit", Type.LIMIT);
        p("complaint.dissatisfied.limit", Type.LIMIT);
        p("complaint.repeat.window", Type.DURATION);
        p("complaint.collective.households", Type.COUNT);
        p("complaint.collective.window", Type.DURATION);
        p("complaint.major.persons", Type.COUNT);
        p("complaint.major.open-limit", Type.LIMIT);
        p("complaint.major-weekly-update.interval", Type.LIMIT);
        p("complaint.major-report.limit", Type.LIMIT);
        p("complaint.developer-report-12h.limit", Type.LIMIT);
        p("ticket.emergency-dispatch.limit", Type.LIMIT);
        p("repair.arrival.emergency", Type.LIMIT);
        p("repair.arrival.special", Type.LIMIT);
        p("repair.arrival.normal", Type.LIMIT);
        p("repair.two-working-days.limit", Type.LIMIT);
        p("repair.callback.limit", Type.LIMIT);
        p("request.reply.limit", Type.LIMIT);
        p("ticket.relay-same-day.limit", Type.LIMIT);
        p("ticket.open-escalation.limit", Type.LIMIT);
        p("call.three-rings.max-rings", Type.COUNT);
        p("patrol.issue-verified.limit", Type.LIMIT);
        p("patrol.reviewed.limit", Type.LIMIT);
        p("patrol.emergency.limit", Type.LIMIT);
        p("patrol.overnight-wait", Type.DURATION);
        p("warning.at", Type.PERCENT);
        p("kpi.timeliness.target", Type.PERCENT);
        p("kpi.response.target", Type.PERCENT);
        p("kpi.follow-up.target", Type.PERCENT);
        p("kpi.satisfaction.target", Type.PERCENT);
        p("kpi.repair-timeliness.target", Type.PERCENT);
        p("kpi.patrol-coverage.target", Type.PERCENT);
        p("kpi.rework.window", Type.DURATION);
        p("kpi.alert.min-denominator", Type.COUNT);
        p("kpi.alert.min-denominator.day", Type.COUNT);
    }

    public static Map<String, Type> all() {
        return TYPES;
    }

    /** Suffix of the switch every rule has: {@code complaint.repeat.enabled = false}. */
    public static final String ENABLED = ".enabled";

    public static Type type(String key) {
        Type t = TYPES.get(key);
        return t == null && key.endsWith(ENABLED) && key.length() > ENABLED.length() ? Type.BOOL : t;
    }
}
