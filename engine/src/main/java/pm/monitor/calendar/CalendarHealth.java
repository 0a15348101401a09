package pm.monitor.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the working-day calendars in use have data for the service's present: without it the
 * service still judges (a provisional Monday–Friday year, see {@link WorkCalendar}), but it is
 * degraded, and says why. From {@link #WARN_DAYS} days before a calendar's data runs out it
 * warns, so that next year's file is added in time.
 *
 * <p>"The present" is the service's clock: the wall clock, or with {@code --clock events} the
 * latest event time. "In use" is the default calendar {@code cn} (any new community gets it) and
 * every calendar a community counts with.
 */
public final class CalendarHealth {
    private static final Logger LOG = LoggerFactory.getLogger(CalendarHealth.class);

    /** How many days before a calendar's data runs out the warning starts. */
    public static final int WARN_DAYS = 60;

    /** The calendar and zone a community counts with. */
    public record Use(String calendar, ZoneId zone) {
        /** What a community gets without a registration. */
        public static final Use DEFAULT = new Use("cn", ZoneId.of("Asia/Shanghai"));
    }

    /**
     * @param reasons  why the service is degraded: a calendar in use with no data for the present year
     * @param warnings a calendar in use whose data runs out within {@link #WARN_DAYS} days
     */
    public record Report(List<Map<String, Object>> reasons, List<Map<String, Object>> warnings) {
        public static final Report NONE = new Report(List.of(), List.of());

        public boolean degraded() {
            return !reasons.isEmpty();
        }

        public String status() {
            return degraded() ? "degraded" : "ok";
        }
    }

    private CalendarHealth() {
    }

    /** @param now the service's clock, or null before it has one (an event clock with no event yet) */
    public static Report check(Calendars calendars, Collection<Use> uses, Instant now) {
        if (now == null) {
            return Report.NONE;
        }
        List<Map<String, Object>> reasons = new ArrayList<>();
        List<Map<String, Object>> warnings = new ArrayList<>();
        Set<String> said = new TreeSet<>();
        Set<Use> all = new java.util.LinkedHashSet<>();
        all.add(Use.DEFAULT);
        all.addAll(uses);
        for (Use u : all) {
            if (!calendars.has(u.calendar())) {
                continue; // a registration checks its calendar; one removed since is refused per event
            }
            WorkCalendar c = calendars.get(u.calendar());
            LocalDate today = LocalDate.ofInstant(now, u.zone());
            if (!c.covers(today)) {
                if (said.add(c.name() + " " + today.getYear())) {
                    reasons.add(item(c, today.getYear(), "calendar." + c.name() + ".no-data",
                            "calendar " + c.name() + " has no data for " + today.getYear() + " (it has "
                                    + c.describeYears() + "): working days of " + today.getYear() + " are counted"
                                    + " provisionally, Monday to Friday with no holidays, and the findings that"
                                    + " used them say so; add rules/calendar/" + c.name() + "/" + today.getYear()
                                    + ".json and reload the rules",
                            "日历 " + c.name() + " 尚无 " + today.getYear() + " 年数据（现有 " + c.describeYears()
                                    + " 年）：" + today.getYear() + " 年的工作日暂按周一至周五计、不计节假日和调休，"
                                    + "用到这些日子的结果均标明“暂定”；请补充 rules/calendar/" + c.name() + "/"
                                    + today.getYear() + ".json 并重新加载规则"));
                }
                continue;
            }
            int last = today.getYear(); // the last year with data from today on, as far as the warning looks
            while (last < today.plusDays(WARN_DAYS).getYear() && c.covers(last + 1)) {
                last++;
            }
            LocalDate without = LocalDate.of(last + 1, 1, 1);
            long left = ChronoUnit.DAYS.between(today, without);
            if (left <= WARN_DAYS && said.add(c.name() + " " + without.getYear())) {
                int year = without.getYear();
                Map<String, Object> w = item(c, year, "calendar." + c.name() + ".runs-out",
                        "calendar " + c.name() + " has data until " + last + "-12-31; from " + without + " (in " + left
                                + " days) the working days of " + year + " will be counted provisionally, Monday to"
                                + " Friday with no holidays, until rules/calendar/" + c.name() + "/" + year
                                + ".json is added",
                        "日历 " + c.name() + " 的数据只到 " + last + "-12-31；自 " + without + "（还有 " + left + " 天）起，"
                                + "在补充 rules/calendar/" + c.name() + "/" + year + ".json 之前，" + year
                                + " 年的工作日将暂按周一至周五计、不计节假日和调休");
                w.put("from", without.toString());
                w.put("daysLeft", left);
                warnings.add(w);
            }
        }
        return new Report(List.copyOf(reasons), List.copyOf(warnings));
    }

    private static Map<String, Object> item(WorkCalendar c, int year, String code, String en, String zh) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("calendar", c.name());
        m.put("year", year);
        m.put("zh", zh);
        m.put("en", en);
        return m;
    }

    /** Logs a report's reasons and warnings when they differ from the last logged (none at first). */
    public static final class Log {
        private List<Object> last = List.of();

        public synchronized void log(Report r) {
            List<Object> now = new ArrayList<>();
            r.reasons().forEach(x -> now.add(x.get("code") + " " + x.get("year")));
            r.warnings().forEach(x -> now.add(x.get("code") + " " + x.get("year")));
            if (now.equals(last)) {
                return;
            }
            last = now;
            for (Map<String, Object> x : r.reasons()) {
                LOG.warn("degraded: {} / {}", x.get("en"), x.get("zh"));
            }
            for (Map<String, Object> x : r.warnings()) {
                LOG.warn("calendar data runs out: {} / {}", x.get("en"), x.get("zh"));
            }
            if (r.reasons().isEmpty() && r.warnings().isEmpty()) {
                LOG.info("calendars in use have data for the present and the next {} days", WARN_DAYS);
            }
        }
    }
}
