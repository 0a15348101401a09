package pm.monitor.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;

class WorkCalendarTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static WorkCalendar cn() {
        List<Calendars.Problem> problems = new ArrayList<>();
        Calendars c = Calendars.load(Rules.dir().resolve("calendar"), problems);
        assertEquals(List.of(), problems);
        return c.get("cn");
    }

    private static Instant at(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    @Test
    @DisplayName("Labour Day 2026: 05-01..05-05 are holidays, Saturday 05-09 is a make-up working day")
    void labourDay() {
        WorkCalendar cn = cn();
        for (int d = 1; d <= 5; d++) {
            assertFalse(cn.isWorkingDay(LocalDate.of(2026, 5, d)), "05-0" + d);
        }
        assertTrue(cn.isWorkingDay(LocalDate.of(2026, 5, 6)));
        assertTrue(cn.isWorkingDay(LocalDate.of(2026, 5, 9)), "Saturday 05-09 is worked");
        assertFalse(cn.isWorkingDay(LocalDate.of(2026, 5, 10)));
        Deadlines d = new Deadlines(SHANGHAI, cn);
        // Received Friday 05-08: the next working days are Saturday 05-09 (make-up) and Monday 05-11.
        assertEquals(at("2026-05-12T00:00:00+08:00"), d.workingDays(at("2026-05-08T16:00:00+08:00"), 2, "received").dueAt());
        // Received on the holiday 05-03: Wed 05-06 and Thu 05-07.
        assertEquals(at("2026-05-08T00:00:00+08:00"), d.workingDays(at("2026-05-03T11:00:00+08:00"), 2, "received").dueAt());
    }

    @Test
    @DisplayName("Spring Festival 2026: Saturday 02-14 is a working day, 02-15..02-23 are not")
    void springFestival() {
        WorkCalendar cn = cn();
        assertTrue(cn.isWorkingDay(LocalDate.of(2026, 2, 14)));
        for (int d = 15; d <= 23; d++) {
            assertFalse(cn.isWorkingDay(LocalDate.of(2026, 2, d)), "02-" + d);
        }
        assertTrue(cn.isWorkingDay(LocalDate.of(2026, 2, 24)));
        Deadlines d = new Deadlines(SHANGHAI, cn);
        // Received Friday 02-13: Saturday 02-14 is worked, then nothing until Tuesday 02-24.
        Deadline due = d.workingDays(at("2026-02-13T09:00:00+08:00"), 2, "received");
        assertEquals(at("2026-02-25T00:00:00+08:00"), due.dueAt());
        String explain = d.explain(due).text();
        assertTrue(explain.contains("Sat 02-14 (make-up working day)"), explain);
        assertTrue(explain.contains("Mon 02-16 (holiday)"), explain);
    }

    @Test
    @DisplayName("Same day is before 24:00 local time; N working days do not count the day itself")
    void sameDayAndDayItselfNotCounted() {
        Deadlines d = new Deadlines(SHANGHAI, cn());
        assertEquals(at("2026-03-03T00:00:00+08:00"), d.sameDay(at("2026-03-02T23:30:00+08:00"), "received").dueAt());
        // Received on Saturday 03-07: Monday and Tuesday are the two working days.
        assertEquals(at("2026-03-11T00:00:00+08:00"), d.workingDays(at("2026-03-07T10:00:00+08:00"), 2, "received").dueAt());
    }
}
