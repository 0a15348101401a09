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

    Params(Map<String, Object> values) {
        this.values = values;
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

    private Object get(String key, ParameterCatalog.Type type) {
        Object v = values.get(key);
        if (v == null || ParameterCatalog.type(key) != type) {
            throw new IllegalArgumentException("no " + type.name().toLowerCase() + " parameter named " + key);
        }
        return v;
    }
}
