package pm.monitor.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RuleTestFile;
import pm.monitor.rules.RuleTimes;

/**
 * Runs hand-written rule tests ({@link RuleTestFile}): each test's events go through fresh
 * community engines, the clock runs to its evaluation time, and the findings of the rules it
 * names are compared with what it expects. Also records which rules fired, for execution
 * coverage.
 */
public final class RuleTests {
    private RuleTests() {
    }

    /** The outcome of one test: what was missing, unexpected or wrong, and the rules that fired. */
    public record Outcome(RuleTestFile.Test test, List<String> missing, List<String> unexpected, List<String> errors,
                          Set<String> firedRules, Set<String> firedIds, long millis) {
        public boolean passed() {
            return missing.isEmpty() && unexpected.isEmpty() && errors.isEmpty();
        }
    }

    /** The tests of every {@code *.test} file under {@code dir} (none if it does not exist); mistakes go to problems. */
    public static List<RuleTestFile.Test> load(java.nio.file.Path dir, List<pm.monitor.rules.Problem> problems)
            throws java.io.IOException {
        List<RuleTestFile.Test> tests = new ArrayList<>();
        if (!java.nio.file.Files.isDirectory(dir)) {
            return tests;
        }
        List<java.nio.file.Path> files;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".test")).sorted().toList();
        }
        for (java.nio.file.Path f : files) {
            String name = dir.relativize(f).toString().replace('\\', '/');
            tests.addAll(RuleTestFile.parse(name, java.nio.file.Files.readString(f), problems));
        }
        return tests;
    }

    public static Outcome run(RuleSet rules, RuleTestFile.Test test) {
        long t0 = System.nanoTime();
        List<String> errors = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (String json : test.events()) {
            new EventReader().readLine(json, 1, 1, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String text) {
                    events.add(event);
                }

                @Override
                public void reject(Rejection r) {
                    errors.add("event refused: " + r.reason() + " — " + json);
                }
            });
        }
        events.sort(Comparator.comparing(Event::at));
        // a recorded scenario has no evaluation time: its last event's, as replay runs it
        Instant until = test.evaluateAt() != null ? test.evaluateAt()
                : events.isEmpty() ? Instant.EPOCH : events.get(events.size() - 1).at();
        List<Finding> findings = new ArrayList<>();
        RuleTimes times = new RuleTimes();
        Map<String, CommunityEngine> engines = new TreeMap<>();
        try {
            for (Event e : events) {
                if (e.at().isAfter(until)) {
                    errors.add("event " + e.id() + " at " + e.at() + " is after the evaluation time");
                    continue;
                }
                CommunityEngine engine = engines.computeIfAbsent(e.community(),
                        c -> new CommunityEngine(c, rules, findings::add, times));
                try {
                    engine.accept(e);
                } catch (EventException x) {
                    if (test.evaluateAt() != null) {
                        errors.add("event " + e.id() + " refused: " + x.getMessage());
                    }
                } catch (RuntimeException x) {
                    errors.add("the rules failed on event " + e.id() + ": " + x);
                }
            }
            for (CommunityEngine engine : engines.values()) {
                engine.finish(until);
            }
        } catch (RuntimeException x) {
            errors.add("the rules failed while running the clock: " + x);
        } finally {
            engines.values().forEach(CommunityEngine::dispose);
        }
        Map<String, String> idOfRule = new HashMap<>();
        for (RuleInfo r : rules.rules()) {
            idOfRule.put(r.name(), r.id());
        }
        Set<String> firedRules = new TreeSet<>();
        Set<String> firedIds = new TreeSet<>();
        for (Map<String, Object> m : RuleTimes.slowest(List.of(times), Integer.MAX_VALUE)) {
            String name = (String) m.get("rule");
            firedRules.add(name);
            if (idOfRule.get(name) != null) {
                firedIds.add(idOfRule.get(name));
            }
        }
        findings.forEach(f -> firedIds.add(f.rule()));
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        compare(test, findings, missing, unexpected);
        return new Outcome(test, missing, unexpected, errors, firedRules, firedIds, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void compare(RuleTestFile.Test test, List<Finding> findings, List<String> missing,
                                List<String> unexpected) {
        Set<String> named = new TreeSet<>();
        test.expected().forEach(e -> named.add(e.rule() + " " + e.kind()));
        List<Finding> left = new ArrayList<>();
        for (Finding f : findings) {
            boolean compared = named.contains(f.rule() + " " + f.kind()) || test.nothing();
            List<String> kinds = test.none().get(f.rule());
            if (kinds != null && (kinds.contains(null) || kinds.contains(f.kind()))) {
                compared = true;
            }
            if (compared) {
                left.add(f);
            }
        }
        for (RuleTestFile.Expected e : test.expected()) {
            Finding match = null;
            for (Finding f : left) {
                if (f.rule().equals(e.rule()) && f.kind().equals(e.kind()) && f.subject().equals(e.subject())
                        && (e.at() == null || f.at().equals(e.at()))) {
                    match = f;
                    break;
                }
            }
            if (match == null) {
                missing.add(e.rule() + " " + e.kind() + " " + e.subject() + (e.at() == null ? "" : " at " + e.atText())
                        + " (line " + e.line() + ")");
            } else {
                left.remove(match);
            }
        }
        for (Finding f : left) {
            unexpected.add(describe(f));
        }
    }

    /** A finding as a test line would expect it: rule, kind, subject and at in the community's time. */
    public static String describe(Finding f) {
        Instant at = f.at();
        String when = f.zone() == null ? at.toString() : OffsetDateTime.ofInstant(at, f.zone()).toString();
        return f.rule() + " " + f.kind() + " " + f.subject() + " at " + when;
    }
}
