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
import java.util.Random;
import org.junit.jupiter.api.Test;
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

    /** A fixed seed: every run tries the same inputs. */
    private static final long SEED = 20240101L;

    private static long start(Random r) {
        return r.nextLong(FROM, TO + 1);
    }

    private static int n(Random r, int max) {
        return r.nextInt(1, max + 1);
    }

    private static int second(Random r) {
        return r.nextInt(0, 86399 + 1);
    }

    @Test
    void theCalendarAgreesWithItsFiles() {
        Random r = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            LocalDate day = day(r);
            assertEquals(working(day), CN.isWorkingDay(day), day + " " + LISTED.get(day));
        }
    }

    @Test
    void nWorkingDaysLandOnTheEndOfAWorkingDay() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 200; i++) {
            long start = start(r);
            int n = n(r, 30);
            String input = "start=" + start + " n=" + n;
            Instant due = due(start, n);
            assertEquals(due, lastDay(due).plusDays(1).atStartOfDay(SHANGHAI).toInstant(), input + ": 24:00 local");
            assertTrue(working(lastDay(due)), input + ": " + lastDay(due) + " is not a working day");
            assertTrue(due.isAfter(Instant.ofEpochSecond(start)), input);
        }
    }

    @Test
    void exactlyNWorkingDaysBetweenTheStartDayAndTheDeadline() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 200; i++) {
            long start = start(r);
            int n = n(r, 30);
            LocalDate first = LocalDate.ofInstant(Instant.ofEpochSecond(start), SHANGHAI);
            LocalDate last = lastDay(due(start, n));
            int counted = 0;
            for (LocalDate d = first.plusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
                if (working(d)) {
                    counted++;
                }
            }
            assertEquals(n, counted, "start=" + start + " n=" + n + ": " + first + " → " + last);
        }
    }

    @Test
    void monotonicInTheStart() {
        Random r = new Random(SEED + 3);
        for (int i = 0; i < 200; i++) {
            long a = start(r);
            long later = r.nextLong(0, 20 * 86400 + 1);
            int n = n(r, 30);
            assertFalse(due(a + later, n).isBefore(due(a, n)),
                    "a=" + a + " later=" + later + " n=" + n + ": a later start never has an earlier deadline");
        }
    }

    @Test
    void oneMoreDayIsStrictlyLater() {
        Random r = new Random(SEED + 4);
        for (int i = 0; i < 200; i++) {
            long start = start(r);
            int n = n(r, 29);
            String input = "start=" + start + " n=" + n;
            assertTrue(due(start, n + 1).isAfter(due(start, n)), input);
            assertTrue(Duration.between(due(start, n), due(start, n + 1)).toDays() >= 1, input);
        }
    }

    @Test
    void sameDayEndsAtMidnightOfTheStartDay() {
        Random r = new Random(SEED + 5);
        for (int i = 0; i < 200; i++) {
            long start = start(r);
            String input = "start=" + start;
            Instant s = Instant.ofEpochSecond(start);
            Deadline d = DEADLINES.of(s, Limit.parse("same day"), "received");
            assertEquals(LocalDate.ofInstant(s, SHANGHAI), LocalDate.ofInstant(d.dueAt().minusNanos(1), SHANGHAI), input);
            assertTrue(d.dueAt().isAfter(s), input);
            assertFalse(d.dueAt().isAfter(s.plus(Duration.ofDays(1))), input);
        }
    }

    @Test
    void aLimitOfNwdIsNWorkingDays() {
        Random r = new Random(SEED + 6);
        for (int i = 0; i < 200; i++) {
            long start = start(r);
            int n = n(r, 30);
            String input = "start=" + start + " n=" + n;
            Limit limit = Limit.parse(n + "wd");
            assertEquals(n, limit.workingDays(), input);
            assertEquals(limit, Limit.parse(limit.toString()), input);
            assertEquals(due(start, n), DEADLINES.of(Instant.ofEpochSecond(start), limit, "received").dueAt(), input);
        }
    }

    @Test
    void aMakeUpWorkingDayIsCounted() {
        Random r = new Random(SEED + 7);
        List<LocalDate> makeUpDays = makeUpDays();
        for (int i = 0; i < 200; i++) {
            LocalDate day = makeUpDays.get(r.nextInt(makeUpDays.size()));
            int second = second(r);
            String input = "day=" + day + " second=" + second;
            // a start on the day before: the make-up day is the first working day after it
            long start = day.minusDays(1).atStartOfDay(SHANGHAI).toEpochSecond() + second;
            assertEquals(day, lastDay(due(start, 1)), input);
            assertTrue(CN.isWorkingDay(day), input);
        }
    }

    @Test
    void aHolidayIsNeverCounted() {
        Random r = new Random(SEED + 8);
        List<LocalDate> holidays = holidays();
        for (int i = 0; i < 200; i++) {
            LocalDate day = holidays.get(r.nextInt(holidays.size()));
            int second = second(r);
            int n = n(r, 5);
            String input = "day=" + day + " second=" + second + " n=" + n;
            long start = day.minusDays(1).atStartOfDay(SHANGHAI).toEpochSecond() + second;
            LocalDate last = lastDay(due(start, n));
            assertTrue(last.isAfter(day), input + ": the holiday " + day + " does not count: " + last);
            assertFalse(CN.isWorkingDay(day), input);
        }
    }

    private static LocalDate day(Random r) {
        return LocalDate.of(2024, 1, 1).plusDays(r.nextInt(0, 365 * 3 - 1 + 1));
    }

    /** Sorted, so that the seed picks the same days on every run (LISTED is a HashMap). */
    private static List<LocalDate> makeUpDays() {
        return LISTED.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                .filter(d -> d.isAfter(LocalDate.of(2024, 1, 1))).sorted().toList();
    }

    private static List<LocalDate> holidays() {
        return LISTED.entrySet().stream().filter(e -> e.getValue()).map(Map.Entry::getKey)
                .filter(d -> d.isAfter(LocalDate.of(2024, 1, 1)) && d.isBefore(LocalDate.of(2026, 12, 1)))
                .sorted().toList();
    }
}
