package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The day a deadline belongs to: the day of the nanosecond before it, in the community's zone. */
class PeriodKeysTest {
    @Test
    void dayBeforeIsTheDayOfTheNanosecondBefore() {
        for (String z : new String[] {"Asia/Shanghai", "America/New_York", "Europe/London", "UTC"}) {
            ZoneId zone = ZoneId.of(z);
            PeriodKeys keys = new PeriodKeys(zone);
            SplittableRandom r = new SplittableRandom(z.hashCode());
            for (int i = 0; i < 200_000; i++) {
                long s = 1_700_000_000L + r.nextLong(200_000_000L);
                // whole seconds, midnights and DST changes are the cases that matter; fractions too
                if (i % 4 == 0) {
                    s = LocalDate.ofEpochDay(s / 86_400).atStartOfDay(zone).toEpochSecond();
                }
                Instant at = Instant.ofEpochSecond(s, i % 3 == 0 ? r.nextInt(1_000_000_000) : 0);
                long expected = LocalDate.ofInstant(at.minusNanos(1), zone).toEpochDay();
                assertEquals(expected, keys.dayBefore(at), z + " " + at);
                assertEquals(LocalDate.ofInstant(at, zone).toEpochDay(), keys.day(at), z + " " + at);
            }
        }
    }
}
