package pm.monitor.rules;

import java.util.Map;
import java.util.Set;

/**
 * What the live rules say about themselves, in their DRL annotations, for the code that names
 * and routes findings without holding rule ids in Java lists: each id's Chinese and English
 * name ({@code @zh}, {@code @en}; read by {@code Labels}) and whether it is an emergency
 * ({@code @emergency(true)}: its findings wait for no grouping window; read by
 * {@code AlertParameters}). Set when a version goes live (the service) or is loaded (the CLI).
 */
public final class LiveRuleMetadata {
    private LiveRuleMetadata() {
    }

    private record Snapshot(Map<String, String[]> names, Set<String> emergencies) {
    }

    private static volatile Snapshot live = new Snapshot(Map.of(), Set.of());

    /** The rules now live. */
    public static void use(RuleSet rules) {
        live = new Snapshot(Map.copyOf(rules.labels()), Set.copyOf(rules.emergencies()));
    }

    /** Rule id → {Chinese, English}. */
    public static Map<String, String[]> names() {
        return live.names();
    }

    /** The ids marked {@code @emergency(true)}. */
    public static Set<String> emergencies() {
        return live.emergencies();
    }
}
