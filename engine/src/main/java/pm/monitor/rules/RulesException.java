package pm.monitor.rules;

import java.util.List;

/** A rules folder that does not compile or validate, with every problem found. */
public final class RulesException extends RuntimeException {
    private final List<Problem> problems;

    public RulesException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder s = new StringBuilder(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + " in the rules:");
        for (Problem p : problems) {
            s.append("\n  ").append(p);
        }
        return s.toString();
    }
}
