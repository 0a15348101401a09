package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import pm.monitor.kpi.PeriodKeys;

/**
 * A KPI period label back to its days: the inverse of the engine's labels ({@link PeriodKeys}), so
 * that drill-down finds the period's findings; and the dashboard's own labels of a date are the
 * engine's.
 */
class PeriodRangeTest {

    @Test
    @DisplayName("every day of 2024–2026 lies in the range of its own day, ISO week and month labels, and no other day does")
    void inverseOfThePeriodLabels() {
        PeriodKeys keys = new PeriodKeys(ZoneOffset.UTC);
        for (LocalDate d = LocalDate.of(2024, 1, 1); d.isBefore(LocalDate.of(2027, 1, 1)); d = d.plusDays(1)) {
            String[] labels = labels(keys, d);
            Map<String, String> ours = Overview.periods(d);
            assertEquals(List.of(labels), List.of(ours.get("day"), ours.get("week"), ours.get("month")), d.toString());
            for (String label : labels) {
                PeriodRange r = PeriodRange.of(label);
                assertTrue(!d.isBefore(r.first()) && d.isBefore(r.end()), d + " in " + label);
                int kind = label.contains("W") ? 1 : label.length() == 7 ? 2 : 0;
                assertEquals(label, labels(keys, r.first())[kind], "the range of " + label + " starts in it");
                assertEquals(label, labels(keys, r.end().minusDays(1))[kind], "and ends in it");
                assertNotEquals(label, labels(keys, r.end())[kind], "and no later");
                assertNotEquals(label, labels(keys, r.first().minusDays(1))[kind], "and no earlier");
            }
        }
    }

    /** The engine's day, week and month labels of a date. */
    private static String[] labels(PeriodKeys keys, LocalDate d) {
        long day = d.toEpochDay();
        return new String[] {PeriodKeys.label(PeriodKeys.DAY, day), PeriodKeys.label(PeriodKeys.WEEK, keys.week(day)),
                PeriodKeys.label(PeriodKeys.MONTH, keys.month(day))};
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
