package pm.monitor.importer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The date formats of one source, tried in order, and the zone its local times are in. A format
 * with an offset ({@code XXX}, {@code Z}, ...) gives that instant; one without is read in the
 * zone, so a time that does not exist there (the hour skipped in spring) moves forward and an
 * ambiguous one (the hour repeated in autumn) takes the earlier offset, as
 * {@link ZonedDateTime#ofLocal} does. A date with no time is the start of its day.
 */
final class Dates {
    /** The format name for ISO-8601 date-times, offset optional, any fraction of a second. */
    static final String ISO = "iso";
    /** Used when the mapping names no format: ISO-8601 with or without offset, a space for the 'T', 2026/3/2 9:15. */
    static final List<String> DEFAULT_FORMATS = List.of(ISO, "yyyy-MM-dd HH:mm[:ss][.SSS][XXX]", "yyyy/M/d H:mm[:ss]",
            "yyyy-MM-dd", "yyyy/M/d");

    private final List<DateTimeFormatter> formats;
    private final ZoneId zone;
    /** The format that read the last value: exports are uniform, so it is tried first. */
    private int last;

    Dates(List<String> patterns, ZoneId zone) {
        this.zone = zone;
        this.formats = new ArrayList<>();
        for (String p : patterns) {
            formats.add(formatter(p));
        }
    }

    /**
     * A pattern as a strict, case-insensitive formatter (so "pm" reads like "PM"). {@code yyyy}
     * is taken as the proleptic year, which strict resolving needs and everyone means.
     */
    static DateTimeFormatter formatter(String pattern) {
        if (pattern.equalsIgnoreCase(ISO)) {
            return DateTimeFormatter.ISO_DATE_TIME;
        }
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(yearOfEraToYear(pattern))
                .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    private static String yearOfEraToYear(String pattern) {
        StringBuilder b = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            b.append(!quoted && c == 'y' ? 'u' : c);
        }
        return b.toString();
    }

    /** The instant of {@code text}, or null when no format reads it. */
    Instant parse(String text) {
        String s = text.trim();
        int n = formats.size();
        for (int k = 0; k < n; k++) {
            int i = (last + k) % n;
            Instant at = tryParse(formats.get(i), s);
            if (at != null) {
                last = i;
                return at;
            }
        }
        return null;
    }

    Instant local(LocalDateTime t) {
        return ZonedDateTime.ofLocal(t, zone, null).toInstant();
    }

    private Instant tryParse(DateTimeFormatter f, String s) {
        TemporalAccessor t;
        try {
            t = f.parse(s);
        } catch (DateTimeException e) {
            return null;
        }
        try {
            if (t.isSupported(ChronoField.OFFSET_SECONDS) && t.isSupported(ChronoField.HOUR_OF_DAY)) {
                return OffsetDateTime.from(t).toInstant();
            }
            if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
                return local(LocalDateTime.from(t));
            }
            return local(LocalDate.from(t).atStartOfDay());
        } catch (DateTimeException e) {
            return null;
        }
    }
}
