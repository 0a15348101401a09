package pm.monitor.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The days a KPI period label covers ({@code 2026-03-02}, {@code 2026-W10}, {@code 2026-03}),
 * so that the findings of that period can be asked for by time in a community's zone.
 *
 * @param first the first day
 * @param end   the day after the last
 */
public record PeriodRange(LocalDate first, LocalDate end) {
    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    /** @throws IllegalArgumentException for a label that is not a day, ISO week or month */
    public static PeriodRange of(String label) {
        try {
            Matcher w = WEEK.matcher(label);
            if (w.matches()) {
                int week = Integer.parseInt(w.group(2));
                LocalDate mid = LocalDate.of(Integer.parseInt(w.group(1)), 6, 1)
                        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week);
                LocalDate monday = mid.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                if (week < 1 || week > 53 || monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) != week) {
                    throw new IllegalArgumentException("no week " + label);
                }
                return new PeriodRange(monday, monday.plusDays(7));
            }
            if (MONTH.matcher(label).matches()) {
                YearMonth m = YearMonth.parse(label);
                return new PeriodRange(m.atDay(1), m.plusMonths(1).atDay(1));
            }
            LocalDate d = LocalDate.parse(label);
            return new PeriodRange(d, d.plusDays(1));
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("期间应为某日（2026-03-02）、ISO 周（2026-W10）或某月（2026-03），而不是“" + label
                    + "” / period must be a day (2026-03-02), an ISO week (2026-W10) or a month (2026-03), not \"" + label + "\"");
        }
    }

    public Instant from(ZoneId zone) {
        return first.atStartOfDay(zone).toInstant();
    }

    public Instant to(ZoneId zone) {
        return end.atStartOfDay(zone).toInstant();
    }
}
