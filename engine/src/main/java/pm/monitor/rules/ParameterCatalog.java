package pm.monitor.rules;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The types a parameter can have, and the few parameters the engine's own Java code reads.
 * Which parameters exist is not listed here: each is declared in {@code rules/parameters.conf}
 * with its type and a comment ({@code name : limit = 2h}), so a new rule gets a new parameter
 * (and per-community overrides of it) without a Java change.
 */
public final class ParameterCatalog {
    private ParameterCatalog() {
    }

    public enum Type {
        /** a {@link pm.monitor.calendar.Limit}: 2h, 30min, 2wd, same day */
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

        /** The type a declaration names ({@code limit}, {@code duration}, ...), or null. */
        public static Type named(String word) {
            for (Type t : values()) {
                if (t.name().equalsIgnoreCase(word)) {
                    return t;
                }
            }
            return null;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The parameters read by Java code rather than by a rule (the telephone KPI, the windows that
     * decide how long closed tickets are kept, when untouched open tickets leave memory, the
     * warning share, the KPI targets): a rules
     * folder must declare them with these types, since the engine asks for them by name.
     */
    private static final Map<String, Type> ENGINE = new LinkedHashMap<>();

    static {
        ENGINE.put("call.three-rings.max-rings", Type.COUNT);
        ENGINE.put("complaint.repeat.window", Type.DURATION);
        ENGINE.put("kpi.rework.window", Type.DURATION);
        ENGINE.put("ticket.dormant-after", Type.DURATION);
        ENGINE.put("kpi.alert.min-denominator", Type.COUNT);
        ENGINE.put("kpi.alert.min-denominator.day", Type.COUNT);
        ENGINE.put("warning.at", Type.PERCENT);
        for (String kpi : pm.monitor.kpi.KpiIds.ALL) {
            String target = pm.monitor.kpi.KpiIds.targetParameter(kpi);
            if (target != null) {
                ENGINE.put(target, Type.PERCENT);
            }
        }
    }

    /** The parameters the engine itself reads, with their types. */
    public static Map<String, Type> engine() {
        return ENGINE;
    }

    /** Suffix of the switch every rule has: {@code complaint.repeat.enabled = false}. */
    public static final String ENABLED = ".enabled";

    static boolean isSwitch(String key) {
        return key.endsWith(ENABLED) && key.length() > ENABLED.length();
    }
}
