package pm.monitor.importer;

import java.util.List;

/** A mapping that cannot be used, with every problem found ({@code FILE:LINE: message}), not only the first. */
public final class MappingException extends RuntimeException {
    private final List<String> problems;

    public MappingException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
