package pm.monitor.kpi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Periods as numbers, so that counting a ticket into its day, week and month costs a few
 * arithmetic operations rather than three strings and three hash lookups: a period is a kind
 * (day, ISO week, month) and an ordinal (epoch day; week-based year × 100 + week; year × 12 +
 * month − 1). Labels ({@code 2026-03-02}, {@code 2026-W10}, {@code 2026-03}) are made only for
 * output.
 */
public final class PeriodKeys {
    public static final int DAY = 0;
    public static final int WEEK = 1;
    public static final int MONTH = 2;

    private final ZoneRules rules;
    private final int fixedOffset;
    private final boolean fixed;
    private long lastDay = Long.MIN_VALUE;
    private int lastWeek;
    private int lastMonth;

    public PeriodKeys(ZoneId zone) {
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        this.fixedOffset = fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
    }

    /** The offset holds in [offsetFrom, offsetTo) (epoch seconds): zones rarely change it. */
    private long offsetFrom = Long.MAX_VALUE;
    private long offsetTo = Long.MIN_VALUE;
    private int offset;

    /** The local epoch day of an instant. */
    public long day(Instant at) {
        return day(at.getEpochSecond(), at);
    }

    /**
     * The local epoch day of the last nanosecond before {@code at}: a deadline of "24:00 on D" is
     * the instant 00:00 of D+1 and belongs to day D. (As {@code day(at.minusNanos(1))}, which
     * made an Instant for every deadline of every ticket a KPI step looked at.)
     */
    public long dayBefore(Instant at) {
        return at.getNano() == 0 ? day(at.getEpochSecond() - 1, null) : day(at.getEpochSecond(), at);
    }

    /** @param at the instant, or null to be made from {@code s} when the zone's offset must be looked up */
    private long day(long s, Instant at) {
        int o;
        if (fixed) {
            o = fixedOffset;
        } else {
            if (s < offsetFrom || s >= offsetTo) {
                if (at == null) {
                    at = Instant.ofEpochSecond(s);
                }
                offset = rules.getOffset(at).getTotalSeconds();
                var previous = rules.previousTransition(at.plusSeconds(1));
                var next = rules.nextTransition(at);
                offsetFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
                offsetTo = next == null ? Long.MAX_VALUE : next.toEpochSecond();
            }
            o = offset;
        }
        return Math.floorDiv(s + o, 86_400L);
    }

    /** ISO week ordinal (week-based year × 100 + week) of an epoch day. */
    public int week(long epochDay) {
        fill(epochDay);
        return lastWeek;
    }

    /** Month ordinal (year × 12 + month − 1) of an epoch day. */
    public int month(long epochDay) {
        fill(epochDay);
        return lastMonth;
    }

    private void fill(long epochDay) {
        if (epochDay == lastDay) {
            return;
        }
        int dow = (int) Math.floorMod(epochDay + 3, 7L); // Monday 0; 1970-01-01 was a Thursday
        LocalDate thursday = LocalDate.ofEpochDay(epochDay - dow + 3);
        lastWeek = thursday.getYear() * 100 + (thursday.getDayOfYear() - 1) / 7 + 1;
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        lastMonth = d.getYear() * 12 + d.getMonthValue() - 1;
        lastDay = epochDay;
    }

    public static String label(int kind, long ordinal) {
        switch (kind) {
            case DAY:
                return LocalDate.ofEpochDay(ordinal).toString();
            case WEEK: {
                int w = (int) (ordinal % 100);
                return (ordinal / 100) + "-W" + (w < 10 ? "0" + w : String.valueOf(w));
            }
            default: {
                int m = (int) (ordinal % 12) + 1;
                return (ordinal / 12) + "-" + (m < 10 ? "0" + m : String.valueOf(m));
            }
        }
    }

    /** The kind and ordinal of a label, or null if it is not one. */
    public static long[] parse(String label) {
        try {
            if (label.length() == 10) {
                return new long[] {DAY, LocalDate.parse(label).toEpochDay()};
            }
            if (label.length() == 8 && label.charAt(4) == '-' && label.charAt(5) == 'W') {
                return new long[] {WEEK, Integer.parseInt(label.substring(0, 4)) * 100L + Integer.parseInt(label.substring(6))};
            }
            if (label.length() == 7 && label.charAt(4) == '-') {
                return new long[] {MONTH, Integer.parseInt(label.substring(0, 4)) * 12L + Integer.parseInt(label.substring(5)) - 1};
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }
}
