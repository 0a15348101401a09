package pm.monitor.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import pm.monitor.support.Rules;

/**
 * Properties of the working-day arithmetic, for random start times over the years the cn
 * calendar covers. The oracle is the calendar's JSON files read here directly (isOffDay
 * true: a holiday, false: a make-up working day 调休上班), not {@link Calendars}.
 */
class WorkingDayPropertiesTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2024-01-01T00:00+08:00 to 2026-11-01T00:00+08:00: room for 30 working days after any start. */
    private static final long FROM = 1704038400L;
    private static final long TO = 1793462400L;

    private static final Map<LocalDate, Boolean> LISTED = listed();
    private static final WorkCalendar CN = Calendars.load(Rules.dir().resolve("calendar"), new ArrayList<>()).get("cn");
    private static final Deadlines DEADLINES = new Deadlines(SHANGHAI, CN);

    private static Map<LocalDate, Boolean> listed() {
        Map<LocalDate, Boolean> m = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (int year = 2024; year <= 2026; year++) {
            try {
                JsonNode root = json.readTree(Files.readString(Path.of("rules/calendar/cn/" + year + ".json")));
                for (JsonNode d : root.get("days")) {
                    m.put(LocalDate.parse(d.get("date").asText()), d.get("isOffDay").asBoolean());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return m;
    }

    /** The oracle: a listed day as listed, else Monday to Friday. */
    private static boolean working(LocalDate d) {
        Boolean off = LISTED.get(d);
        if (off != null) {
            return !off;
        }
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private static Instant due(long start, int n) {
        return DEADLINES.workingDays(Instant.ofEpochSecond(start), n, "received").dueAt();
    }

    /** The last day counted: the deadline is 24:00 of it. */
    private static LocalDate lastDay(Instant due) {
        return LocalDate.ofInstant(due.minusNanos(1), SHANGHAI);
    }

    @Property(tries = 300)
    void theCalendarAgreesWithItsFiles(@ForAll("days") LocalDate day) {
        assertEquals(working(day), CN.isWorkingDay(day), day + " " + LISTED.get(day));
    }

    @Property(tries = 200)
    void nWorkingDaysLandOnTheEndOfAWorkingDay(@ForAll @LongRange(min = FROM, max = TO) long start,
                                                @ForAll @IntRange(min = 1, max = 30) int n) {
        Instant due = due(start, n);
        assertEquals(due, lastDay(due).plusDays(1).atStartOfDay(SHANGHAI).toInstant(), "24:00 local");
        assertTrue(working(lastDay(due)), lastDay(due) + " is not a working day");
        assertTrue(due.isAfter(Instant.ofEpochSecond(start)));
    }

    @Property(tries = 200)
    void exactlyNWorkingDaysBetweenTheStartDayAndTheDeadline(@ForAll @LongRange(min = FROM, max = TO) long start,
                                                              @ForAll @IntRange(min = 1, max = 30) int n) {
        LocalDate first = LocalDate.ofInstant(Instant.ofEpochSecond(start), SHANGHAI);
        LocalDate last = lastDay(due(start, n));
        int counted = 0;
        for (LocalDate d = first.plusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
            if (working(d)) {
                counted++;
            }
        }
        assertEquals(n, counted, first + " → " + last);
    }

    @Property(tries = 200)
    void monotonicInTheStart(@ForAll @LongRange(min = FROM, max = TO) long a,
                             @ForAll @LongRange(min = 0, max = 20 * 86400) long later,
                             @ForAll @IntRange(min = 1, max = 30) int n) {
        assertFalse(due(a + later, n).isBefore(due(a, n)), "a later start never has an earlier deadline");
    }

    @Property(tries = 200)
    void oneMoreDayIsStrictlyLater(@ForAll @LongRange(min = FROM, max = TO) long start,
                                   @ForAll @IntRange(min = 1, max = 29) int n) {
        assertTrue(due(start, n + 1).isAfter(due(start, n)));
        assertTrue(Duration.between(due(start, n), due(start, n + 1)).toDays() >= 1);
    }

    @Property(tries = 200)
    void sameDayEndsAtMidnightOfTheStartDay(@ForAll @LongRange(min = FROM, max = TO) long start) {
        Instant s = Instant.ofEpochSecond(start);
        Deadline d = DEADLINES.of(s, Limit.parse("same day"), "received");
        assertEquals(LocalDate.ofInstant(s, SHANGHAI), LocalDate.ofInstant(d.dueAt().minusNanos(1), SHANGHAI));
        assertTrue(d.dueAt().isAfter(s));
        assertFalse(d.dueAt().isAfter(s.plus(Duration.ofDays(1))));
    }

    @Property(tries = 200)
    void aLimitOfNwdIsNWorkingDays(@ForAll @LongRange(min = FROM, max = TO) long start,
                                   @ForAll @IntRange(min = 1, max = 30) int n) {
        Limit limit = Limit.parse(n + "wd");
        assertEquals(n, limit.workingDays());
        assertEquals(limit, Limit.parse(limit.toString()));
        assertEquals(due(start, n), DEADLINES.of(Instant.ofEpochSecond(start), limit, "received").dueAt());
    }

    @Property(tries = 200)
    void aMakeUpWorkingDayIsCounted(@ForAll("makeUpDays") LocalDate day, @ForAll @IntRange(min = 0, max = 86399) int second) {
        // a start on the day before: the make-up day is the first working day after it
        long start = day.minusDays(1).atStartOfDay(SHANGHAI).toEpochSecond() + second;
        assertEquals(day, lastDay(due(start, 1)));
        assertTrue(CN.isWorkingDay(day));
    }

    @Property(tries = 200)
    void aHolidayIsNeverCounted(@ForAll("holidays") LocalDate day, @ForAll @IntRange(min = 0, max = 86399) int second,
                                @ForAll @IntRange(min = 1, max = 5) int n) {
        long start = day.minusDays(1).atStartOfDay(SHANGHAI).toEpochSecond() + second;
        LocalDate last = lastDay(due(start, n));
        assertTrue(last.isAfter(day), "the holiday " + day + " does not count: " + last);
        assertFalse(CN.isWorkingDay(day));
    }

    @Provide
    Arbitrary<LocalDate> days() {
        return Arbitraries.integers().between(0, 365 * 3 - 1).map(i -> LocalDate.of(2024, 1, 1).plusDays(i));
    }

    @Provide
    Arbitrary<LocalDate> makeUpDays() {
        return Arbitraries.of(LISTED.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                .filter(d -> d.isAfter(LocalDate.of(2024, 1, 1))).toList());
    }

    @Provide
    Arbitrary<LocalDate> holidays() {
        List<LocalDate> h = LISTED.entrySet().stream().filter(e -> e.getValue()).map(Map.Entry::getKey)
                .filter(d -> d.isAfter(LocalDate.of(2024, 1, 1)) && d.isBefore(LocalDate.of(2026, 12, 1))).toList();
        return Arbitraries.of(h);
    }
}
