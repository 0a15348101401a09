package pm.monitor.rules;

/** One error in the rules folder: the file (relative to the folder), the line (0 if none) and why. */
public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
