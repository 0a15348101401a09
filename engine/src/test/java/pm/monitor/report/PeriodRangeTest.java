package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.kpi.Periods;

/** A KPI period label back to its days: the inverse of {@link Periods}, so drill-down finds the period's findings. */
class PeriodRangeTest {

    @Test
    @DisplayName("every day of 2024–2026 lies in the range of its own day, ISO week and month labels, and no other day does")
    void inverseOfThePeriodLabels() {
        for (LocalDate d = LocalDate.of(2024, 1, 1); d.isBefore(LocalDate.of(2027, 1, 1)); d = d.plusDays(1)) {
            for (String label : new String[] {Periods.day(d), Periods.week(d), Periods.month(d)}) {
                PeriodRange r = PeriodRange.of(label);
                assertEquals(true, !d.isBefore(r.first()) && d.isBefore(r.end()), d + " in " + label);
                assertEquals(label, label.contains("W") ? Periods.week(r.first()) : label.length() == 7
                        ? Periods.month(r.first()) : Periods.day(r.first()), "the range starts in " + label);
                assertEquals(label, label.contains("W") ? Periods.week(r.end().minusDays(1)) : label.length() == 7
                        ? Periods.month(r.end().minusDays(1)) : Periods.day(r.end().minusDays(1)), "and ends in it");
            }
        }
    }

    @Test
    @DisplayName("ISO weeks at year ends; instants in the community's zone; nonsense refused")
    void edges() {
        assertEquals(new PeriodRange(LocalDate.of(2026, 12, 28), LocalDate.of(2027, 1, 4)), PeriodRange.of("2026-W53"));
        assertEquals(new PeriodRange(LocalDate.of(2024, 12, 30), LocalDate.of(2025, 1, 6)), PeriodRange.of("2025-W01"));
        assertEquals("2026-02-28T16:00:00Z", PeriodRange.of("2026-03").from(ZoneId.of("Asia/Shanghai")).toString());
        assertThrows(IllegalArgumentException.class, () -> PeriodRange.of("2025-W53"), "2025 has 52 weeks");
        assertThrows(IllegalArgumentException.class, () -> PeriodRange.of("2026-13"));
        assertThrows(IllegalArgumentException.class, () -> PeriodRange.of("yesterday"));
    }
}
