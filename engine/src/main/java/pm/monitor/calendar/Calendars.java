package pm.monitor.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The calendars of {@code rules/calendar/}: one folder per calendar name ({@code cn} is the
 * default a community gets), one {@code YYYY.json} per year in the holiday-cn format
 * ({@code {year, days: [{name, date, isOffDay}]}}). A file with no days (holiday-cn's for a year
 * not yet published) is no data: that year is counted provisionally, like a year with no file.
 */
public final class Calendars {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, WorkCalendar> byName;

    public Calendars(Map<String, WorkCalendar> byName) {
        this.byName = Map.copyOf(byName);
    }

    public WorkCalendar get(String name) {
        WorkCalendar c = byName.get(name);
        if (c == null) {
            throw new CalendarException("no calendar \"" + name + "\" in rules/calendar/ (have: "
                    + String.join(", ", new TreeSet<>(byName.keySet())) + ")");
        }
        return c;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Map<String, WorkCalendar> all() {
        return byName;
    }

    /** A problem in one calendar file, with the file and, where known, the line. */
    public record Problem(Path file, int line, String message) {
    }

    /** Loads every calendar under {@code dir}; problems are collected, not thrown. */
    public static Calendars load(Path dir, List<Problem> problems) {
        Map<String, WorkCalendar> calendars = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(dir, 0, "calendar folder missing"));
            return new Calendars(calendars);
        }
        try (Stream<Path> names = Files.list(dir)) {
            for (Path folder : names.filter(Files::isDirectory).sorted().toList()) {
                Map<LocalDate, Boolean> days = new HashMap<>();
                TreeSet<Integer> years = new TreeSet<>();
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d{4}\\.json")).sorted()
                            .toList()) {
                        readYear(file, days, years, problems);
                    }
                }
                String name = folder.getFileName().toString();
                if (years.isEmpty()) {
                    problems.add(new Problem(folder, 0, "calendar " + name + " has no YYYY.json file with days"));
                }
                calendars.put(name, new WorkCalendar(name, days, years));
            }
        } catch (IOException e) {
            problems.add(new Problem(dir, 0, "cannot read: " + e.getMessage()));
        }
        if (!calendars.containsKey("cn")) {
            problems.add(new Problem(dir, 0, "the default calendar cn (rules/calendar/cn/) is missing"));
        }
        return new Calendars(calendars);
    }

    /**
     * The New Year holiday may start in the last days of the year before (holiday-cn lists
     * 2022-12-31 in 2023.json) or run into the first days of the next: those dates belong to
     * the year's arrangement. Any other date of another year is a mistake.
     */
    static boolean newYearHoliday(LocalDate date, int year) {
        return (date.getYear() == year - 1 && date.getMonthValue() == 12 && date.getDayOfMonth() >= 25)
                || (date.getYear() == year + 1 && date.getMonthValue() == 1 && date.getDayOfMonth() <= 7);
    }

    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\"date\"\\s*:\\s*\"([^\"]*)\"");

    private static Map<String, java.util.ArrayDeque<Integer>> dateLines(String text) {
        Map<String, java.util.ArrayDeque<Integer>> out = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher m = DATE.matcher(lines[i]);
            while (m.find()) {
                out.computeIfAbsent(m.group(1), k -> new java.util.ArrayDeque<>()).add(i + 1);
            }
        }
        return out;
    }

    private static void readYear(Path file, Map<LocalDate, Boolean> days, TreeSet<Integer> years,
                                 List<Problem> problems) throws IOException {
        int year = Integer.parseInt(file.getFileName().toString().substring(0, 4));
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add(new Problem(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage()));
            return;
        }
        if (root.path("year").asInt(-1) != year) {
            problems.add(new Problem(file, 0, "its \"year\" is " + root.path("year") + ", the file name says " + year));
            return;
        }
        JsonNode list = root.path("days");
        if (!list.isArray()) {
            problems.add(new Problem(file, 0, "no \"days\" array"));
            return;
        }
        if (list.isEmpty()) {
            // holiday-cn publishes next year's file with no days until the State Council's notice is
            // out: that is no data yet, and the year is counted provisionally (WorkCalendar)
            return;
        }
        // Jackson's tree keeps no lines: each "date" value's line is found in the text, in order
        Map<String, java.util.ArrayDeque<Integer>> lines = dateLines(Files.readString(file));
        for (JsonNode d : list) {
            String text = d.path("date").asText();
            java.util.ArrayDeque<Integer> at = lines.get(text);
            int line = at == null || at.isEmpty() ? 0 : at.poll();
            LocalDate date;
            try {
                date = LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(new Problem(file, line, "bad date " + d.path("date") + ": write it as YYYY-MM-DD, a day that"
                        + " exists (日期无效)"));
                continue;
            }
            if (date.getYear() != year && !newYearHoliday(date, year)) {
                // a day of another year would be counted as that year's, while that year's own file
                // (or its provisional days) says otherwise: a copy-paste slip
                problems.add(new Problem(file, line, date + " is not in " + year + " (the file is " + year
                        + ".json): put it in " + date.getYear() + ".json (日期不属于 " + year + " 年)"));
                continue;
            }
            if (!d.path("isOffDay").isBoolean()) {
                problems.add(new Problem(file, line, date + ": isOffDay must be true or false (isOffDay 只能是 true 或 false)"));
                continue;
            }
            days.put(date, d.path("isOffDay").asBoolean());
        }
        years.add(year);
    }
}
