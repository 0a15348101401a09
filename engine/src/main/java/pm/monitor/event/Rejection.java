package pm.monitor.event;

/**
 * Why one line of input was not accepted. {@code line} is the 1-based line of the input where
 * the event starts; {@code index} is its 1-based position among the events of the input
 * (the same as the line for NDJSON without blank lines, different inside a JSON array).
 */
public record Rejection(int line, int index, String id, String field, String reason) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("line ").append(line);
        if (id != null) {
            s.append(" (id ").append(id).append(')');
        }
        if (field != null) {
            s.append(", field ").append(field);
        }
        return s.append(": ").append(reason).toString();
    }
}
