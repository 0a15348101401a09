package pm.monitor.calendar;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times are written in findings, KPIs and explanations: ISO-8601 in the community's zone. */
public final class Times {
    private Times() {
    }

    /** e.g. {@code 2026-03-02T09:15:00+08:00}; seconds always written, fractions only when present. */
    public static String iso(Instant at, ZoneId zone) {
        return at == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(zone));
    }
}
