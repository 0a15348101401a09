package pm.monitor.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which days are working days: Monday to Friday, minus the statutory holidays, plus the
 * make-up working days (调休上班) that fall on a weekend. Only the years whose file was loaded
 * can be answered; any other date is an error, because a guessed holiday would put a wrong
 * deadline on every ticket of that week.
 */
public final class WorkCalendar {
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

    public SortedSet<Integer> years() {
        return years;
    }

    public boolean covers(LocalDate date) {
        int i = date.getYear() - firstYear;
        return i >= 0 && i < loaded.length && loaded[i];
    }

    public boolean isWorkingDay(LocalDate date) {
        if (!covers(date)) {
            throw new CalendarException("calendar " + name + " has no data for " + date.getYear() + " (needed for "
                    + date + "; loaded years: " + describeYears() + "); add rules/calendar/" + name + "/"
                    + date.getYear() + ".json");
        }
        Boolean off = offDays.get(date);
        if (off != null) {
            return !off;
        }
        DayOfWeek d = date.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY;
    }

    /** Why a day is or is not a working day, in words for a deadline's explanation. */
    public String describe(LocalDate date) {
        Boolean off = offDays.get(date);
        if (off == null) {
            return isWorkingDay(date) ? "working day" : "weekend";
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
