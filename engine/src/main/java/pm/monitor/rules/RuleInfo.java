package pm.monitor.rules;

/** One DRL rule as the rules view and coverage report show it; {@code line} is where it starts in its file (0 if unknown). */
public record RuleInfo(String name, String id, String clause, String role, String kind, String file, int line) {
    public RuleInfo(String name, String id, String clause, String role, String kind, String file) {
        this(name, id, clause, role, kind, file, 0);
    }
}
