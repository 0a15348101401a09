package pm.monitor.rules;

import java.util.Map;
import java.util.Set;

/**
 * What the live rules say about themselves, in their DRL annotations, for the code that names
 * and routes findings without holding rule ids in Java lists: each id's Chinese and English
 * name ({@code @zh}, {@code @en}; read by {@code Labels}) and whether it is an emergency
 * ({@code @emergency(true)}: its findings wait for no grouping window; read by
 * {@code AlertParameters}) and whether its findings about an incident fold the incident's
 * per-ticket findings ({@code @inhibits(true)}; read by {@code AlertParameters}). Set when a version goes live (the service) or is loaded (the CLI).
 */
public final class LiveRuleMetadata {
    private LiveRuleMetadata() {
    }

    private record Snapshot(Map<String, String[]> names, Set<String> emergencies, Set<String> inhibitors) {
    }

    private static volatile Snapshot live = new Snapshot(Map.of(), Set.of(), Set.of());

    /** The rules now live. */
    public static void use(RuleSet rules) {
        live = new Snapshot(Map.copyOf(rules.labels()), Set.copyOf(rules.emergencies()), Set.copyOf(rules.inhibitors()));
    }

    /** Rule id → {Chinese, English}. */
    public static Map<String, String[]> names() {
        return live.names();
    }

    /** The ids marked {@code @emergency(true)}. */
    public static Set<String> emergencies() {
        return live.emergencies();
    }

    /** The ids marked {@code @inhibits(true)}. */
    public static Set<String> inhibitors() {
        return live.inhibitors();
    }
}
