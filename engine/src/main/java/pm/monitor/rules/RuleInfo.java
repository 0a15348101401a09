package pm.monitor.rules;

/** One DRL rule as the rules view and coverage report show it. */
public record RuleInfo(String name, String id, String clause, String role, String kind, String file) {
}
