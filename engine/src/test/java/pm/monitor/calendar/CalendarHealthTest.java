package pm.monitor.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;

/** Health of the calendars in use: degraded in a year with no data, a warning from 60 days before it. */
class CalendarHealthTest {
    private static Calendars calendars() {
        List<Calendars.Problem> problems = new ArrayList<>();
        Calendars c = Calendars.load(Rules.dir().resolve("calendar"), problems);
        assertEquals(List.of(), problems);
        return c;
    }

    private static Instant at(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    private static CalendarHealth.Report check(String now, CalendarHealth.Use... uses) {
        return CalendarHealth.check(calendars(), Set.of(uses), at(now));
    }

    @Test
    @DisplayName("cn (2024–2026): ok on 2026-11-01, a warning from 2026-11-02 (60 days before 2027-01-01), degraded on 2027-01-04")
    void cnAroundTheYearEnd() {
        CalendarHealth.Report oct = check("2026-11-01T12:00:00+08:00");
        assertEquals("ok", oct.status());
        assertEquals(List.of(), oct.warnings());

        CalendarHealth.Report nov = check("2026-11-02T00:00:00+08:00");
        assertEquals("ok", nov.status(), "a warning only: the data still covers the present");
        assertEquals(1, nov.warnings().size(), nov.toString());
        Map<String, Object> w = nov.warnings().get(0);
        assertEquals("calendar.cn.runs-out", w.get("code"));
        assertEquals(2027, w.get("year"));
        assertEquals(60L, w.get("daysLeft"));
        assertEquals("2027-01-01", w.get("from"));
        assertTrue(((String) w.get("en")).contains("rules/calendar/cn/2027.json"), w.toString());
        assertTrue(((String) w.get("zh")).contains("还有 60 天"), w.toString());

        assertEquals(25L, check("2026-12-07T10:00:00+08:00").warnings().get(0).get("daysLeft"));

        CalendarHealth.Report jan = check("2027-01-04T09:00:00+08:00");
        assertEquals("degraded", jan.status());
        assertEquals(List.of(), jan.warnings());
        assertEquals(1, jan.reasons().size(), jan.toString());
        Map<String, Object> r = jan.reasons().get(0);
        assertEquals("calendar.cn.no-data", r.get("code"));
        assertEquals("cn", r.get("calendar"));
        assertEquals(2027, r.get("year"));
        assertTrue(((String) r.get("en")).contains("no data for 2027") && ((String) r.get("en")).contains("provisional"),
                r.toString());
        assertTrue(((String) r.get("zh")).contains("尚无 2027 年数据"), r.toString());
    }

    @Test
    @DisplayName("The year is the community's: 2026-12-31 17:00 UTC is already 2027 in Shanghai")
    void yearInTheCommunitysZone() {
        assertEquals("degraded", check("2026-12-31T17:00:00Z").status());
        assertEquals("ok", check("2026-12-31T15:59:59Z").status());
    }

    @Test
    @DisplayName("Every calendar in use counts: a community on us (2008–2020) makes 2026 degraded; none before the clock starts")
    void otherCalendarsInUse() {
        CalendarHealth.Report r = check("2026-06-01T09:00:00-04:00", new CalendarHealth.Use("us", ZoneId.of("America/New_York")));
        assertEquals("degraded", r.status());
        assertEquals(List.of("calendar.us.no-data"), r.reasons().stream().map(x -> x.get("code")).toList());
        // In 2018 us has data; cn, which every new community gets, has not.
        CalendarHealth.Report y2018 = check("2018-06-01T09:00:00-04:00",
                new CalendarHealth.Use("us", ZoneId.of("America/New_York")));
        assertEquals(List.of("calendar.cn.no-data"), y2018.reasons().stream().map(x -> x.get("code")).toList());
        assertEquals("ok", CalendarHealth.check(calendars(), Set.of(), null).status());
    }
}
