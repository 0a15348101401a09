package pm.monitor.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * How times are written in findings, KPIs and explanations: ISO-8601 in the community's zone.
 *
 * <p>Every finding carries several of these strings, so a replay writes millions: the common
 * case (whole seconds, a four-digit year) is written by hand, which the replay profile showed
 * is several times cheaper than {@link DateTimeFormatter}; anything else goes to the formatter,
 * and a test checks both give the same text.
 */
public final class Times {
    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private Times() {
    }

    /** e.g. {@code 2026-03-02T09:15:00+08:00}; seconds always written, fractions only when present. */
    public static String iso(Instant at, ZoneId zone) {
        if (at == null) {
            return null;
        }
        ZonedDateTime z = at.atZone(zone);
        int year = z.getYear();
        if (z.getNano() != 0 || year < 1000 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(z);
        }
        StringBuilder s = new StringBuilder(25);
        date(s, z.toLocalDate()).append('T');
        two(s, z.getHour()).append(':');
        two(s, z.getMinute()).append(':');
        two(s, z.getSecond());
        offset(s, z.getOffset());
        return s.toString();
    }

    /** {@code yyyy-MM-dd HH:mm}, e.g. {@code 2026-03-02 09:15}. */
    public static String minutes(ZonedDateTime z) {
        StringBuilder s = new StringBuilder(16);
        date(s, z.toLocalDate()).append(' ');
        two(s, z.getHour()).append(':');
        two(s, z.getMinute());
        return s.toString();
    }

    /** {@code MM-dd}, e.g. {@code 03-02}. */
    public static String monthDay(LocalDate d) {
        StringBuilder s = new StringBuilder(5);
        two(s, d.getMonthValue()).append('-');
        return two(s, d.getDayOfMonth()).toString();
    }

    /** Mon, Tue, … as in English (the explanations are read beside ISO dates). */
    public static String weekday(DayOfWeek d) {
        return WEEKDAYS[d.getValue() - 1];
    }

    private static StringBuilder date(StringBuilder s, LocalDate d) {
        int y = d.getYear();
        if (y < 1000 || y > 9999) {
            return s.append(d);
        }
        s.append(y).append('-');
        two(s, d.getMonthValue()).append('-');
        return two(s, d.getDayOfMonth());
    }

    private static void offset(StringBuilder s, ZoneOffset o) {
        int total = o.getTotalSeconds();
        if (total == 0) {
            s.append('Z');
            return;
        }
        if (total % 60 != 0) {
            s.append(o.getId()); // seconds in an offset: historic zones only; the id is the ISO text
            return;
        }
        int abs = Math.abs(total);
        s.append(total < 0 ? '-' : '+');
        two(s, abs / 3600).append(':');
        two(s, abs / 60 % 60);
    }

    private static StringBuilder two(StringBuilder s, int v) {
        return s.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
