package pm.monitor.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written formatting must write exactly what java.time's formatters write. */
class TimesTest {
    private static final ZoneId[] ZONES = {ZoneId.of("Asia/Shanghai"), ZoneId.of("UTC"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"),
            ZoneId.of("Europe/Amsterdam")};

    @Test
    void isoEqualsTheFormatter() {
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = -62_000_000_000L + (long) (r.nextDouble() * 320_000_000_000L); // years ≈ 0 to 12000
            int nanos = i % 5 == 0 ? r.nextInt(1_000_000_000) : 0;
            Instant at = Instant.ofEpochSecond(seconds, nanos);
            ZoneId zone = ZONES[i % ZONES.length];
            assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(zone)), Times.iso(at, zone),
                    at + " in " + zone);
        }
        // Amsterdam before 1937 ran on +00:19:32: an offset with seconds
        Instant old = Instant.parse("1920-06-01T12:00:00Z");
        ZoneId ams = ZoneId.of("Europe/Amsterdam");
        assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(old.atZone(ams)), Times.iso(old, ams));
    }

    @Test
    void minutesMonthDayAndWeekdayEqualTheFormatters() {
        Random r = new Random(11);
        DateTimeFormatter minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        DateTimeFormatter monthDay = DateTimeFormatter.ofPattern("MM-dd");
        for (int i = 0; i < 50_000; i++) {
            Instant at = Instant.ofEpochSecond(1_600_000_000L + (long) (r.nextDouble() * 400_000_000L));
            var z = at.atZone(ZONES[i % ZONES.length]);
            LocalDate d = z.toLocalDate();
            assertEquals(z.format(minutes), Times.minutes(z));
            assertEquals(d.format(monthDay), Times.monthDay(d));
            assertEquals(d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), Times.weekday(d.getDayOfWeek()));
        }
    }
}
