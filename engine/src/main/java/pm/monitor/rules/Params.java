package pm.monitor.rules;

import java.time.Duration;
import pm.monitor.calendar.Limit;
import java.util.Map;

/**
 * The parameters as one community sees them; the rules' global {@code params}. A name that is
 * not a parameter is a programming error in a rule, reported as such (and caught earlier by
 * {@code validate}, which checks every name the DRL files ask for).
 */
public final class Params {
    private final Map<String, Object> values;
    /** Rule ids switched off ({@code <rule id>.enabled = false}): asked for every finding and duty. */
    private final java.util.Set<String> disabled = new java.util.HashSet<>();

    private final java.util.function.Function<String, ParameterCatalog.Type> types;

    Params(Map<String, Object> values, java.util.function.Function<String, ParameterCatalog.Type> types) {
        this.values = values;
        this.types = types;
        values.forEach((k, v) -> {
            if (k.endsWith(ParameterCatalog.ENABLED) && Boolean.FALSE.equals(v)) {
                disabled.add(k.substring(0, k.length() - ParameterCatalog.ENABLED.length()));
            }
        });
    }

    /**
     * Whether the rule runs for this community: {@code <rule id>.enabled = false} (in a
     * {@code [community ...]} section, or for all) switches it off; it opens no duty and gives
     * no finding, and the other rules and the KPIs' make-up stay as they are.
     */
    public boolean enabled(String ruleId) {
        return disabled.isEmpty() || !disabled.contains(ruleId);
    }

    public Limit limit(String key) {
        return (Limit) get(key, ParameterCatalog.Type.LIMIT);
    }

    public Duration duration(String key) {
        return (Duration) get(key, ParameterCatalog.Type.DURATION);
    }

    public int count(String key) {
        return (Integer) get(key, ParameterCatalog.Type.COUNT);
    }

    /** A percentage as a fraction: 90% is 0.9. */
    public double percent(String key) {
        return (Double) get(key, ParameterCatalog.Type.PERCENT);
    }

    public boolean bool(String key) {
        return (Boolean) get(key, ParameterCatalog.Type.BOOL);
    }

    private Object get(String key, ParameterCatalog.Type type) {
        Object v = values.get(key);
        if (v == null || types.apply(key) != type) {
            throw new IllegalArgumentException("no " + type.name().toLowerCase() + " parameter named " + key);
        }
        return v;
    }
}
