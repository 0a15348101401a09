package pm.monitor.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * A role's quiet hours, in the community's local time, e.g. 22:00–07:00 (may run past
 * midnight). Messages that are not emergencies wait for the end of them.
 */
public record QuietHours(LocalTime from, LocalTime to) {

    /** Parses {@code 22:00-07:00}. */
    public static QuietHours parse(String text) {
        String[] parts = text.trim().split("\\s*-\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("quiet hours are written HH:MM-HH:MM, e.g. 22:00-07:00, not \"" + text + "\"");
        }
        try {
            QuietHours q = new QuietHours(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
            if (q.from.equals(q.to)) {
                throw new IllegalArgumentException("quiet hours " + text + " start and end at the same time");
            }
            return q;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("quiet hours are written HH:MM-HH:MM, e.g. 22:00-07:00, not \"" + text + "\"");
        }
    }

    public boolean covers(Instant t, ZoneId zone) {
        LocalTime lt = t.atZone(zone).toLocalTime();
        return from.isBefore(to) ? !lt.isBefore(from) && lt.isBefore(to) : !lt.isBefore(from) || lt.isBefore(to);
    }

    /** When the quiet hours that cover {@code t} end (call only when they do). */
    public Instant end(Instant t, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate day = local.toLocalDate();
        ZonedDateTime end = day.atTime(to).atZone(zone);
        if (!end.isAfter(local)) {
            end = day.plusDays(1).atTime(to).atZone(zone);
        }
        return end.toInstant();
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
