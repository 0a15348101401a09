package pm.monitor.rules;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule test file ({@code rules/tests/NAME.test}), written by hand in the spirit of
 * {@code promtool test rules}: timed input events, a time to run the clock to, and the expected
 * findings of the rules it names. Findings of rules a test does not name are not compared, so a
 * change elsewhere cannot break it. The format, one statement a line ({@code #} starts a comment):
 * <pre>
 * community C001                       the community of events that do not say (default C001)
 * event {"type":"community.registered","at":"2026-03-01T08:00:00+08:00","name":"一区"}
 *                                      before the first test: given to every test of the file
 * test a late contact is a violation   a test, named by the rest of the line
 * event {"type":"ticket.received","at":"2026-03-02T09:00:00+08:00","ticket":"T1",...}
 * evaluate at 2026-03-02T12:00:00+08:00   run the clock to this time (required): deadlines up
 *                                      to it are judged, as at the end of a replay
 * expect complaint.contact-2h violation T1 at 2026-03-02T11:00:00+08:00
 *                                      RULE KIND SUBJECT [at TIME]: exactly the findings listed
 *                                      for each (rule, kind) named must come, no more
 * expect none complaint.invalid-reply-2h [KIND]   the rule gives no finding (of that kind)
 * expect nothing                       no rule gives any finding
 * </pre>
 * An event's missing {@code id} and {@code community} are filled in.
 */
public final class RuleTestFile {
    /** One expected finding; {@code at} null when any time will do. */
    public record Expected(String rule, String kind, String subject, Instant at, String atText, int line) {
    }

    /** One test: its name, events (shared ones first), evaluation time and expectations. */
    public record Test(String file, String name, int line, List<String> events, Instant evaluateAt,
                       List<Expected> expected, Map<String, List<String>> none, boolean nothing) {
        /** The rule ids this test names in its expectations. */
        public java.util.Set<String> rules() {
            java.util.Set<String> ids = new java.util.TreeSet<>(none.keySet());
            expected.forEach(e -> ids.add(e.rule()));
            return ids;
        }
    }

    private static final Pattern EXPECT = Pattern.compile(
            "expect\\s+(\\S+)\\s+(violation|alert|warning)\\s+(\\S+)(?:\\s+at\\s+(\\S+))?");
    private static final Pattern NONE = Pattern.compile("expect\\s+none\\s+(\\S+)(?:\\s+(violation|alert|warning))?");

    private RuleTestFile() {
    }

    /** Parses {@code text} (named {@code file}); mistakes go to {@code problems} with their lines. */
    public static List<Test> parse(String file, String text, List<Problem> problems) {
        String community = "C001";
        List<String> shared = new ArrayList<>();
        List<Test> tests = new ArrayList<>();
        String name = null;
        int nameLine = 0;
        List<String> events = null;
        Instant evaluate = null;
        List<Expected> expected = null;
        Map<String, List<String>> none = null;
        boolean nothing = false;
        String[] lines = text.split("\n", -1);
        int seq = 0;
        for (int i = 0; i <= lines.length; i++) {
            String line = i == lines.length ? "test" : stripComment(lines[i]).trim();
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("test") || line.startsWith("test ")) {
                if (name != null) {
                    if (evaluate == null) {
                        problems.add(new Problem(file, nameLine, "test \"" + name + "\" has no \"evaluate at TIME\" line:"
                                + " say how far to run the clock (测试缺少 evaluate at)"));
                    } else if (expected.isEmpty() && none.isEmpty() && !nothing) {
                        problems.add(new Problem(file, nameLine, "test \"" + name + "\" expects nothing: add expect lines,"
                                + " or \"expect nothing\""));
                    } else {
                        List<String> all = new ArrayList<>(shared);
                        all.addAll(events);
                        tests.add(new Test(file, name, nameLine, all, evaluate, expected, none, nothing));
                    }
                }
                if (i == lines.length) {
                    break;
                }
                name = line.length() > 5 ? line.substring(5).trim() : "";
                if (name.isEmpty()) {
                    problems.add(new Problem(file, no, "a test needs a name: test NAME"));
                    name = "line " + no;
                }
                for (Test t : tests) {
                    if (t.name().equals(name)) {
                        problems.add(new Problem(file, no, "two tests are named \"" + name + "\""));
                    }
                }
                nameLine = no;
                events = new ArrayList<>();
                evaluate = null;
                expected = new ArrayList<>();
                none = new LinkedHashMap<>();
                nothing = false;
                continue;
            }
            if (line.startsWith("community ")) {
                community = line.substring("community ".length()).trim();
                continue;
            }
            if (line.startsWith("event ")) {
                String json = event(file, no, line.substring("event ".length()).trim(), community,
                        file.replaceAll("[^A-Za-z0-9]", "-") + "-" + (++seq), problems);
                if (json != null) {
                    (events == null ? shared : events).add(json);
                }
                continue;
            }
            if (name == null) {
                problems.add(new Problem(file, no, "\"" + word(line) + "\" before the first \"test NAME\" line"
                        + " (only community and event lines may come first)"));
                continue;
            }
            if (line.startsWith("evaluate ")) {
                Matcher m = Pattern.compile("evaluate\\s+at\\s+(\\S+)").matcher(line);
                evaluate = m.matches() ? time(file, no, m.group(1), problems) : null;
                if (!m.matches()) {
                    problems.add(new Problem(file, no, "expected evaluate at TIME (ISO-8601 with offset)"));
                }
                continue;
            }
            if (line.equals("expect nothing")) {
                nothing = true;
                continue;
            }
            Matcher n = NONE.matcher(line);
            if (n.matches()) {
                none.computeIfAbsent(n.group(1), k -> new ArrayList<>()).add(n.group(2));
                continue;
            }
            Matcher e = EXPECT.matcher(line);
            if (e.matches()) {
                Instant at = e.group(4) == null ? null : time(file, no, e.group(4), problems);
                expected.add(new Expected(e.group(1), e.group(2), e.group(3), at, e.group(4), no));
                continue;
            }
            problems.add(new Problem(file, no, "cannot read \"" + line + "\": expected event {...}, evaluate at TIME,"
                    + " expect RULE KIND SUBJECT [at TIME], expect none RULE [KIND] or expect nothing"));
        }
        return tests;
    }

    private static String event(String file, int no, String json, String community, String id, List<Problem> problems) {
        Object parsed;
        try {
            parsed = pm.monitor.finding.Json.parse(json);
        } catch (RuntimeException e) {
            problems.add(new Problem(file, no, "an event is one JSON object on the line: " + e.getMessage()));
            return null;
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            problems.add(new Problem(file, no, "an event is one JSON object on the line"));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) map);
        m.putIfAbsent("id", id);
        m.putIfAbsent("community", community);
        return pm.monitor.finding.Json.write(m);
    }

    private static Instant time(String file, int no, String text, List<Problem> problems) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new Problem(file, no, "\"" + text + "\" is not a time like 2026-03-02T11:00:00+08:00"));
            return null;
        }
    }

    private static String word(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static String stripComment(String line) {
        // a # inside an event's JSON is text, not a comment
        String t = line.trim();
        if (t.startsWith("event ")) {
            return t.startsWith("#") ? "" : line;
        }
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
