package pm.monitor.rules;

/**
 * One DRL rule as the rules view and coverage report show it; {@code line} is where it starts in
 * its file (0 if unknown); {@code measures} the time metric whose handbook limit it holds
 * ({@code @measures("contact")}, the dashboard's time metrics), or null.
 */
public record RuleInfo(String name, String id, String clause, String role, String kind, String file, int line,
                       String measures) {
    public RuleInfo(String name, String id, String clause, String role, String kind, String file, int line) {
        this(name, id, clause, role, kind, file, line, null);
    }

    public RuleInfo(String name, String id, String clause, String role, String kind, String file) {
        this(name, id, clause, role, kind, file, 0, null);
    }
}
