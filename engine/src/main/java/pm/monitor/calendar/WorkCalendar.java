package pm.monitor.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which days are working days: Monday to Friday, minus the statutory holidays, plus the
 * make-up working days (调休上班) that fall on a weekend. A year whose file has not been loaded
 * (next year's arrangement is published late, sometimes after New Year) is a <em>provisional</em>
 * year: Monday to Friday with no holidays. The service goes on judging with it rather than
 * stopping, and every deadline counted on such a day says so ({@link Deadlines#explain}).
 *
 * <p>Only a date far from every year with data ({@link #REACH} years) is refused: that is a
 * wrong timestamp, not a missing file, and walking to it day by day would stall its community.
 */
public final class WorkCalendar {
    /** How many years before the first and after the last year with data are judged provisionally. */
    public static final int REACH = 10;

    private final String name;
    private final Map<LocalDate, Boolean> offDays;
    private final SortedSet<Integer> years;
    /** The loaded years as flags from the first: asked once or more per event, so no boxing. */
    private final int firstYear;
    private final boolean[] loaded;

    /** @param offDays listed dates: true for a holiday, false for a make-up working day */
    public WorkCalendar(String name, Map<LocalDate, Boolean> offDays, SortedSet<Integer> years) {
        this.name = name;
        this.offDays = Map.copyOf(offDays);
        this.years = new TreeSet<>(years);
        this.firstYear = this.years.isEmpty() ? 0 : this.years.first();
        this.loaded = new boolean[this.years.isEmpty() ? 0 : this.years.last() - firstYear + 1];
        for (int y : this.years) {
            loaded[y - firstYear] = true;
        }
    }

    public String name() {
        return name;
    }

    /** The years with data (a file with its days). */
    public SortedSet<Integer> years() {
        return years;
    }

    /** Whether the date's year has data; if not, the date is counted provisionally. */
    public boolean covers(LocalDate date) {
        return covers(date.getYear());
    }

    public boolean covers(int year) {
        int i = year - firstYear;
        return i >= 0 && i < loaded.length && loaded[i];
    }

    public boolean isWorkingDay(LocalDate date) {
        Boolean off = offDays.get(date); // only dates of years with data are listed
        if (off != null) {
            return !off;
        }
        DayOfWeek d = date.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY;
    }

    /** The first and last year judged at all: {@link #REACH} years around the years with data. */
    public int firstJudgedYear() {
        return years.isEmpty() ? Integer.MAX_VALUE : years.first() - REACH;
    }

    public int lastJudgedYear() {
        return years.isEmpty() ? Integer.MIN_VALUE : years.last() + REACH;
    }

    /**
     * Why an event on {@code date} cannot be judged with this calendar, or null: only a date so
     * far from the data that its timestamp must be wrong.
     */
    public String refusal(LocalDate date) {
        int y = date.getYear();
        if (y >= firstJudgedYear() && y <= lastJudgedYear()) {
            return null;
        }
        return "the working-day calendar " + name + " has data for " + describeYears() + "; " + y
                + " is more than " + REACH + " years from it, so the date must be wrong (日历 " + name + " 有 "
                + describeYears() + " 年的数据，" + y + " 年与之相差超过 " + REACH + " 年，日期应有误)";
    }

    /** Why a day is or is not a working day, in words for a deadline's explanation. */
    public String describe(LocalDate date) {
        Boolean off = offDays.get(date);
        if (off == null) {
            boolean working = isWorkingDay(date);
            return working ? (covers(date) ? "working day" : "provisional working day") : "weekend";
        }
        return off ? "holiday" : "make-up working day";
    }

    public String describeYears() {
        if (years.isEmpty()) {
            return "none";
        }
        return years.first().equals(years.last()) ? String.valueOf(years.first()) : years.first() + "–" + years.last();
    }
}
