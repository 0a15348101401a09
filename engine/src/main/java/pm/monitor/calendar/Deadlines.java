package pm.monitor.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.calendar.Deadline.How;

/**
 * Deadline arithmetic in one community's time zone and working-day calendar, as
 * HANDBOOK-RULES.md "Time, as the rules count it" defines it:
 * <ul>
 * <li>hours and minutes are wall-clock (the centre is staffed 24 hours, CODE 4.2.2);</li>
 * <li>"same day" is before 24:00 local time of the day of the start;</li>
 * <li>"within N working days" of day D is before 24:00 of the N-th working day after D, D not
 * counted whether or not it is a working day.</li>
 * </ul>
 * A working-day count that walks through a year the calendar has no data for is counted
 * Monday to Friday there, and its explanation is marked provisional.
 * Every deadline can be explained, because a staff member who disputes a finding must be able
 * to see why it stands.
 */
public final class Deadlines {
    /** A working-day count longer than this is a parameter error, not a calendar to walk. */
    private static final int MAX_DAYS_WALKED = 3660;

    private final ZoneId zone;
    private final WorkCalendar calendar;

    public Deadlines(ZoneId zone, WorkCalendar calendar) {
        this.zone = zone;
        this.calendar = calendar;
    }

    public ZoneId zone() {
        return zone;
    }

    public WorkCalendar calendar() {
        return calendar;
    }

    /** The local date of an instant in this community. */
    public LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }

    /** The local date of an instant, as YYYY-MM-DD (subjects of daily duties). */
    public String day(Instant at) {
        return date(at).toString();
    }

    /** 00:00 local time of a date. */
    public Instant startOf(LocalDate date) {
        return date.atStartOfDay(zone).toInstant();
    }

    /** A limit from the parameters, whichever way it counts, from {@code start}. */
    public Deadline of(Instant start, Limit limit, String startedBy) {
        return switch (limit.kind()) {
            case DURATION -> after(start, limit.duration(), startedBy);
            case WORKING_DAYS -> workingDays(start, limit.workingDays(), startedBy);
            case SAME_DAY -> sameDay(start, startedBy);
        };
    }

    /** A fixed wall-clock limit: {@code start + limit}. */
    public Deadline after(Instant start, Duration limit, String startedBy) {
        return new Deadline(start, start.plus(limit), startedBy, How.HOURS, limit.toMinutes());
    }

    /** Before 24:00 local time of the day of {@code start} (当日内). */
    public Deadline sameDay(Instant start, String startedBy) {
        return new Deadline(start, startOf(date(start).plusDays(1)), startedBy, How.SAME_DAY, 0);
    }

    /** A daily duty: from 00:00 to 24:00 local time of {@code date}. */
    public Deadline endOfDay(LocalDate date, String startedBy) {
        return new Deadline(startOf(date), startOf(date.plusDays(1)), startedBy, How.END_OF_DAY, 0);
    }

    /**
     * A duty about day {@code date} that is due by the end of the following day; its clock
     * starts when {@code date} ends.
     */
    public Deadline endOfNextDay(LocalDate date, String startedBy) {
        return new Deadline(startOf(date.plusDays(1)), startOf(date.plusDays(2)), startedBy, How.NEXT_DAY_END, 0);
    }

    /**
     * Before 24:00 of the N-th working day after the day of {@code start}; that day itself is
     * not counted. With N = 0 it is the end of the day of {@code start}.
     */
    public Deadline workingDays(Instant start, int n, String startedBy) {
        LocalDate day = date(start);
        LocalDate d = day;
        int found = 0;
        int walked = 0;
        while (found < n) {
            d = d.plusDays(1);
            if (++walked > MAX_DAYS_WALKED) {
                throw new CalendarException("no " + n + " working days within " + MAX_DAYS_WALKED + " days of " + day);
            }
            if (calendar.isWorkingDay(d)) {
                found++;
            }
        }
        return new Deadline(start, startOf(d.plusDays(1)), startedBy, How.WORKING_DAYS, n);
    }

    /** A time agreed with the owner (e.g. {@code replyBy}, {@code arriveBy}). */
    public Deadline agreed(Instant start, Instant due, String startedBy) {
        return new Deadline(start, due, startedBy, How.AGREED, 0);
    }

    /** How a deadline was computed, in words and as data. */
    public record Explanation(String text, Map<String, Object> facts) {
    }

    public Explanation explain(Deadline d) {
        StringBuilder s = new StringBuilder();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("clockStartedBy", d.startedBy());
        f.put("clockStartedAt", format(d.startsAt()));
        switch (d.how()) {
            case HOURS -> {
                Duration limit = Duration.ofMinutes(d.amount());
                s.append(d.startedBy()).append(' ').append(describe(d.startsAt())).append("; limit ")
                        .append(describe(limit));
                f.put("limit", describe(limit));
            }
            case SAME_DAY -> {
                LocalDate day = date(d.startsAt());
                s.append(d.startedBy()).append(' ').append(describe(d.startsAt()))
                        .append("; same day: before 24:00 of ").append(weekday(day)).append(' ').append(Times.monthDay(day));
                f.put("limit", "same day");
            }
            case END_OF_DAY -> {
                LocalDate day = date(d.startsAt());
                s.append(d.startedBy()).append(": ").append(weekday(day)).append(' ').append(day)
                        .append(", due by the end of that day");
                f.put("limit", "end of day");
            }
            case NEXT_DAY_END -> {
                LocalDate day = date(d.startsAt()).minusDays(1);
                s.append(d.startedBy()).append(": ").append(weekday(day)).append(' ').append(day)
                        .append(", due by the end of the next day");
                f.put("limit", "end of the next day");
            }
            case AGREED -> {
                s.append(d.startedBy()).append(' ').append(describe(d.startsAt()))
                        .append("; time agreed with the owner ").append(describe(d.dueAt()));
                f.put("limit", "agreed time");
            }
            case WORKING_DAYS -> {
                int n = (int) d.amount();
                List<String> counted = new ArrayList<>();
                List<String> skipped = new ArrayList<>();
                java.util.SortedSet<Integer> provisional = new java.util.TreeSet<>();
                LocalDate day = date(d.startsAt());
                LocalDate x = day;
                while (counted.size() < n) {
                    x = x.plusDays(1);
                    String label = weekday(x) + " " + Times.monthDay(x);
                    if (!calendar.covers(x)) {
                        provisional.add(x.getYear());
                    }
                    if (calendar.isWorkingDay(x)) {
                        String what = calendar.describe(x);
                        counted.add(what.equals("working day") ? label : label + " (" + what + ")");
                    } else {
                        skipped.add(label + " (" + calendar.describe(x) + ")");
                    }
                }
                s.append(d.startedBy()).append(' ').append(describe(d.startsAt())).append("; ").append(n)
                        .append(n == 1 ? " working day" : " working days").append(" (calendar ")
                        .append(calendar.name()).append(", the day itself not counted)");
                if (!skipped.isEmpty()) {
                    s.append("; skipped ").append(String.join(", ", skipped));
                }
                if (!counted.isEmpty()) {
                    s.append("; working days counted ").append(String.join(", ", counted));
                }
                f.put("limit", n + (n == 1 ? " working day" : " working days"));
                f.put("calendar", calendar.name());
                f.put("workingDaysCounted", counted);
                f.put("daysSkipped", skipped);
                if (!provisional.isEmpty()) {
                    Provisional p = provisional(provisional);
                    s.append("; ").append(p.en()).append(" ").append(p.zh());
                    f.put("provisional", true);
                    f.put("provisionalYears", List.copyOf(provisional));
                    Map<String, Object> note = new LinkedHashMap<>();
                    note.put("zh", p.zh());
                    note.put("en", p.en());
                    f.put("provisionalNote", note);
                }
            }
            default -> throw new IllegalStateException(d.how().toString());
        }
        s.append("; due ").append(describe(d.dueAt()));
        f.put("dueAt", format(d.dueAt()));
        return new Explanation(s.toString(), f);
    }

    private record Provisional(String en, String zh) {
    }

    /** What a deadline counted on days of years with no calendar data says about it, in both languages. */
    private Provisional provisional(java.util.SortedSet<Integer> years) {
        String ys = years.size() == 1 ? String.valueOf(years.first())
                : String.join(", ", years.stream().map(String::valueOf).toList());
        String files = String.join(", ", years.stream().map(y -> y + ".json").toList());
        return new Provisional(
                "PROVISIONAL: calendar " + calendar.name() + " has no data for " + ys + ", so its days were counted"
                        + " Monday to Friday with no holidays; the deadline is counted again once rules/calendar/"
                        + calendar.name() + "/" + files + " is added and the rules reloaded",
                "（暂定：日历 " + calendar.name() + " 尚无 " + ys + " 年数据，暂按周一至周五为工作日、不计节假日和调休；"
                        + "补充 rules/calendar/" + calendar.name() + "/" + files + " 并重新加载规则后重新计算）");
    }

    /**
     * The start of the minute of {@code at}. Logs are often kept to the minute: two events
     * recorded in the same minute (a reply and the on-the-spot resolution it answers) are one
     * moment for the rules, whatever their seconds or the order they were stored in.
     */
    public Instant minuteOf(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }

    public String describe(Instant at) {
        ZonedDateTime z = at.atZone(zone);
        return weekday(z.toLocalDate()) + " " + Times.minutes(z);
    }

    public String format(Instant at) {
        return Times.iso(at, zone);
    }

    static String describe(Duration d) {
        long m = d.toMinutes();
        if (m > 0 && m % 1440 == 0) {
            return (m / 1440) + (m == 1440 ? " day" : " days");
        }
        if (m > 0 && m % 60 == 0) {
            return (m / 60) + " h";
        }
        return m + " min";
    }

    private static String weekday(LocalDate d) {
        return Times.weekday(d.getDayOfWeek());
    }
}
