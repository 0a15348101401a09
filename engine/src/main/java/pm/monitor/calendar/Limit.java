package pm.monitor.calendar;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time limit as the handbooks state them: a wall-clock duration ({@code 2h}, {@code 30min},
 * {@code 3d}), a number of working days ({@code 2wd}), or {@code same day}. Analysts can turn
 * one into another in the parameters file (e.g. written replies from {@code 2wd} to
 * {@code 48h}) without touching a rule.
 */
public record Limit(Kind kind, Duration duration, int workingDays) {

    public enum Kind { DURATION, WORKING_DAYS, SAME_DAY }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|min|m|h|d)");
    private static final Pattern WORKING_DAYS = Pattern.compile("(\\d+)\\s*wd");

    public static Limit parse(String text) {
        String s = text.trim();
        if (s.equals("same day")) {
            return new Limit(Kind.SAME_DAY, null, 0);
        }
        Matcher w = WORKING_DAYS.matcher(s);
        if (w.matches()) {
            int n = Integer.parseInt(w.group(1));
            if (n < 1 || n > 60) {
                throw new IllegalArgumentException("working days must be between 1 and 60, not " + n);
            }
            return new Limit(Kind.WORKING_DAYS, null, n);
        }
        return new Limit(Kind.DURATION, parseDuration(s), 0);
    }

    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like 30s, 5min, 2h or 3d, got \"" + text.trim() + "\"");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "min", "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(3660)) > 0) {
            throw new IllegalArgumentException("a duration must be more than 0 and at most 3660 days, not " + text.trim());
        }
        return d;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SAME_DAY -> "same day";
            case WORKING_DAYS -> workingDays + "wd";
            default -> duration.toString();
        };
    }
}
