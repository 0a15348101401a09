package pm.monitor.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;

/**
 * A year the calendar has no file for (2027 in the shipped rules folder) is counted Monday to
 * Friday with no holidays, and every deadline whose working days reached into it says so.
 */
class ProvisionalYearTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Calendars load(Path dir) {
        List<Calendars.Problem> problems = new ArrayList<>();
        Calendars c = Calendars.load(dir, problems);
        assertEquals(List.of(), problems);
        return c;
    }

    private static WorkCalendar cn() {
        return load(Rules.dir().resolve("calendar")).get("cn");
    }

    private static Instant at(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    @Test
    @DisplayName("2027, with no file, is Monday to Friday with no holidays; 2026 keeps its listed days")
    void provisionalYearIsMondayToFriday() {
        WorkCalendar cn = cn();
        assertFalse(cn.covers(LocalDate.of(2027, 1, 1)));
        assertTrue(cn.covers(LocalDate.of(2026, 12, 31)));
        assertTrue(cn.isWorkingDay(LocalDate.of(2027, 1, 1)), "Friday 2027-01-01: no holiday is guessed");
        assertFalse(cn.isWorkingDay(LocalDate.of(2027, 1, 2)), "Saturday");
        assertFalse(cn.isWorkingDay(LocalDate.of(2027, 1, 3)), "Sunday");
        assertTrue(cn.isWorkingDay(LocalDate.of(2027, 1, 4)), "Monday");
        assertFalse(cn.isWorkingDay(LocalDate.of(2026, 1, 1)), "2026's New Year's Day is in its file");
        assertEquals("provisional working day", cn.describe(LocalDate.of(2027, 1, 4)));
        assertEquals("working day", cn.describe(LocalDate.of(2026, 12, 31)));
    }

    @Test
    @DisplayName("2 working days from Thursday 2026-12-31: Friday 01-01 and Monday 01-04 (provisional), due at the end of 01-04, and said so")
    @SuppressWarnings("unchecked")
    void twoWorkingDaysIntoAProvisionalYear() {
        Deadlines d = new Deadlines(SHANGHAI, cn());
        Deadline due = d.workingDays(at("2026-12-31T10:00:00+08:00"), 2, "received");
        // HANDBOOK-RULES.md: before 24:00 of the N-th working day after D, D not counted.
        assertEquals(at("2027-01-05T00:00:00+08:00"), due.dueAt());
        Deadlines.Explanation e = d.explain(due);
        assertTrue(e.text().contains("working days counted Fri 01-01 (provisional working day), Mon 01-04 (provisional working day)"),
                e.text());
        assertTrue(e.text().contains("skipped Sat 01-02 (weekend), Sun 01-03 (weekend)"), e.text());
        assertTrue(e.text().contains("PROVISIONAL: calendar cn has no data for 2027"), e.text());
        assertTrue(e.text().contains("暂定：日历 cn 尚无 2027 年数据"), e.text());
        assertEquals(true, e.facts().get("provisional"));
        assertEquals(List.of(2027), e.facts().get("provisionalYears"));
        Map<String, Object> note = (Map<String, Object>) e.facts().get("provisionalNote");
        assertTrue(((String) note.get("zh")).contains("周一至周五"), note.toString());
        assertTrue(((String) note.get("en")).contains("Monday to Friday"), note.toString());
        assertTrue(((String) note.get("en")).contains("rules/calendar/cn/2027.json"), note.toString());
    }

    @Test
    @DisplayName("Only working-day counts that reach a provisional year are marked: not 2 h, same day, end of day, nor a count inside 2026")
    void onlyWorkingDayCountsIntoTheYearAreMarked() {
        Deadlines d = new Deadlines(SHANGHAI, cn());
        List<Deadline> unmarked = List.of(
                d.after(at("2026-12-31T23:00:00+08:00"), Duration.ofHours(2), "received"), // ends in 2027
                d.after(at("2027-01-04T09:00:00+08:00"), Duration.ofHours(2), "received"),
                d.sameDay(at("2027-01-04T09:00:00+08:00"), "received"),
                d.endOfDay(LocalDate.of(2027, 1, 4), "day started"),
                d.endOfNextDay(LocalDate.of(2027, 1, 4), "day ended"),
                d.agreed(at("2027-01-04T09:00:00+08:00"), at("2027-01-06T09:00:00+08:00"), "received"),
                d.workingDays(at("2026-12-28T10:00:00+08:00"), 2, "received")); // Tue, Wed 2026-12-29/30
        for (Deadline x : unmarked) {
            Deadlines.Explanation e = d.explain(x);
            assertNull(e.facts().get("provisional"), e.text());
            assertFalse(e.text().contains("PROVISIONAL"), e.text());
        }
        // Received Tuesday 2026-12-29: Wed 12-30 and Thu 12-31 are counted, 2027 is never reached.
        Deadline inside = d.workingDays(at("2026-12-29T10:00:00+08:00"), 2, "received");
        assertEquals(at("2027-01-01T00:00:00+08:00"), inside.dueAt());
        assertNull(d.explain(inside).facts().get("provisional"));
        // Received on a provisional day with a count inside it.
        assertEquals(true, d.explain(d.workingDays(at("2027-01-04T09:00:00+08:00"), 1, "received")).facts().get("provisional"));
    }

    @Test
    @DisplayName("Once 2027.json is there the same count follows it and is not provisional; a file with no days (holiday-cn before the notice) is no data")
    void theYearsFileReplacesTheGuess(@TempDir Path dir) throws IOException {
        Path cn = Files.createDirectories(dir.resolve("cn"));
        for (String y : new String[] {"2024", "2025", "2026"}) {
            Files.copy(Rules.dir().resolve("calendar/cn/" + y + ".json"), cn.resolve(y + ".json"));
        }
        Files.writeString(cn.resolve("2027.json"), "{\"year\": 2027, \"papers\": [], \"days\": []}");
        WorkCalendar empty = load(dir).get("cn");
        assertFalse(empty.covers(LocalDate.of(2027, 3, 1)), "no days: not yet published");
        assertEquals(at("2027-01-05T00:00:00+08:00"),
                new Deadlines(SHANGHAI, empty).workingDays(at("2026-12-31T10:00:00+08:00"), 2, "received").dueAt());

        Files.writeString(cn.resolve("2027.json"), """
                {"year": 2027, "days": [
                  {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
                  {"name": "test", "date": "2027-01-04", "isOffDay": true}
                ]}""");
        WorkCalendar known = load(dir).get("cn");
        assertTrue(known.covers(LocalDate.of(2027, 3, 1)));
        Deadlines d = new Deadlines(SHANGHAI, known);
        Deadline due = d.workingDays(at("2026-12-31T10:00:00+08:00"), 2, "received");
        assertEquals(at("2027-01-07T00:00:00+08:00"), due.dueAt(), "Tue 01-05 and Wed 01-06");
        Deadlines.Explanation e = d.explain(due);
        assertNull(e.facts().get("provisional"), e.text());
        assertTrue(e.text().contains("Fri 01-01 (holiday)"), e.text());
    }

    @Test
    @DisplayName("Only a date more than 10 years from the calendar's data is refused, as a wrong timestamp")
    void farDatesRefused() {
        WorkCalendar cn = cn(); // 2024–2026
        assertNull(cn.refusal(LocalDate.of(2027, 1, 4)));
        assertNull(cn.refusal(LocalDate.of(2036, 12, 31)));
        assertNull(cn.refusal(LocalDate.of(2014, 1, 1)));
        String late = cn.refusal(LocalDate.of(2037, 1, 1));
        assertNotNull(late);
        assertTrue(late.contains("2037") && late.contains("2024–2026") && late.contains("日期应有误"), late);
        assertNotNull(cn.refusal(LocalDate.of(2013, 12, 31)));
        assertNotNull(cn.refusal(LocalDate.of(12026, 3, 2)));
    }
}
