package pm.monitor.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 timestamps as the contract requires them: with an offset, because a time without
 * one is ambiguous and the rules count days in the community's zone. The common shape
 * {@code yyyy-MM-ddTHH:mm[:ss[.fff…]](Z|±hh:mm)} is read by hand: the general formatter
 * costs more than all the rules together on a replay of a million events.
 */
public final class Timestamps {
    private Timestamps() {
    }

    public static Instant parse(String s) {
        Instant fast = parseCommon(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                java.time.LocalDateTime.parse(s);
                throw new IllegalArgumentException("timestamp without offset: \"" + s
                        + "\" (write it with its offset, e.g. 2026-03-02T09:15:00+08:00)");
            } catch (DateTimeParseException notLocal) {
                throw new IllegalArgumentException("not an ISO-8601 timestamp with offset: \"" + s + "\"");
            }
        }
    }

    public static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date YYYY-MM-DD: \"" + s + "\"");
        }
    }

    private static Instant parseCommon(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if ((year | month | day | hour | minute) < 0) {
            return null;
        }
        int i = 16;
        int second = 0;
        int nanos = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0) {
                return null;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int start = i;
                int frac = 0;
                while (i < n && Character.isDigit(s.charAt(i)) && i - start < 9) {
                    frac = frac * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start || (i < n && Character.isDigit(s.charAt(i)))) {
                    return null;
                }
                for (int k = i - start; k < 9; k++) {
                    frac *= 10;
                }
                nanos = frac;
            }
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char c = s.charAt(i);
        if (c == 'Z' && i == n - 1) {
            offsetSeconds = 0;
        } else if ((c == '+' || c == '-') && n - i == 6 && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos,
                    ZoneOffset.ofTotalSeconds(offsetSeconds)).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid date and time: \"" + s + "\" (" + e.getMessage() + ")");
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char ch = s.charAt(k);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }
}
