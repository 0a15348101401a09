package pm.monitor.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.kie.api.runtime.rule.ConsequenceException;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RuleTimes;
import pm.monitor.rules.RulesException;

/**
 * The one way a rules folder is loaded — by {@code validate}, {@code test}, {@code replay},
 * {@code backtest}, {@code serve}'s start and every reload — so that a folder that passes
 * {@code validate} runs: it is compiled ({@link RuleBook}) and then <em>dry-run</em>: a small
 * built-in event set that makes every shipped rule fire, the folder's own
 * {@code scenarios/*.events.ndjson} and the events of each rule test of {@code tests/*.test}, go
 * through community engines, and a rule whose consequence
 * throws (a duty opened by a rule with no {@code @notify}, a parameter read with the wrong type,
 * a null field) is a problem with its file, line and name — instead of a replay that stops or
 * a reload that fails halfway.
 */
public final class RulesCheck {
    private RulesCheck() {
    }

    /** The built-in events: every event type, and every shipped rule fires on them. */
    static final String BUILT_IN = "dry-run.events.ndjson";
    /** How far past the last event the dry run runs the clock, so that deadlines are judged. */
    private static final Duration AFTER = Duration.ofDays(8);

    /**
     * What loading gave: the rules (null when refused), the problems that refuse them, and the
     * notes that do not (files left out, rules no dry-run event made fire, a section for an
     * unknown community).
     */
    public record Result(RuleSet rules, List<Problem> problems, List<Problem> notes, DryRun dryRun) {
        public boolean ok() {
            return rules != null && problems.isEmpty();
        }
    }

    /** What the dry run did: events per input, rules that fired, of how many. */
    public record DryRun(int events, int fired, int rules, long millis) {
    }

    /**
     * Compiles and dry-runs the folder.
     *
     * @param knownCommunities the communities the service or the event file knows, to check
     *                         {@code [community CODE]} sections against; null when not known
     */
    public static Result check(Path dir, Set<String> knownCommunities, Clock wall) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> notes = new ArrayList<>();
        RuleSet rules = RuleBook.compile(dir, problems, notes, knownCommunities, wall);
        if (rules == null || !problems.isEmpty()) {
            return new Result(null, problems, notes, null);
        }
        DryRun run = dryRun(rules, problems, notes);
        return new Result(problems.isEmpty() ? rules : null, problems, notes, run);
    }

    /** A version stored earlier, compiled and dry-run the same way (what a restart falls back on). */
    public static Result checkStored(String version, java.util.SortedMap<String, String> files, Path shownAs,
                                     Clock wall) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> notes = new ArrayList<>();
        RuleSet rules = RuleBook.compileStored(version, files, shownAs, problems, wall);
        if (rules == null || !problems.isEmpty()) {
            return new Result(null, problems, notes, null);
        }
        DryRun run = dryRun(rules, problems, notes);
        return new Result(problems.isEmpty() ? rules : null, problems, notes, run);
    }

    /** Loads the folder or throws with every problem; the notes go to {@code notes}. */
    public static RuleSet load(Path dir, Clock wall, Consumer<Problem> notes) {
        Result r = check(dir, null, wall);
        r.notes().forEach(notes);
        if (!r.ok()) {
            throw new RulesException(r.problems());
        }
        // the CLI's reports name rules as the service does
        pm.monitor.rules.LiveRuleMetadata.use(r.rules());
        return r.rules();
    }

    /** A problem or note as the CLI prints it: the file under the folder, the line, the message. */
    public static String describe(Path dir, Problem p) {
        // a problem of the folder itself (none there) names the folder once
        Path where = p.file().equals(dir.toString()) ? dir : dir.resolve(p.file()).normalize();
        return where + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message();
    }

    /**
     * Runs the built-in events and the folder's scenarios through the rules; a rule whose
     * consequence throws is a problem (once per rule), and the rules that never fired are one note.
     */
    static DryRun dryRun(RuleSet rules, List<Problem> problems, List<Problem> notes) {
        long t0 = System.nanoTime();
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("(built-in events)", builtIn());
        rules.files().forEach((name, text) -> {
            if (name.startsWith("scenarios/") && name.endsWith(".events.ndjson")) {
                inputs.put(name, text);
            } else if (name.startsWith("tests/") && name.endsWith(".test")) {
                // each rule test on its own (tests reuse ticket ids): a new rule's own tests make it fire
                List<Problem> testProblems = new ArrayList<>();
                for (pm.monitor.rules.RuleTestFile.Test t : pm.monitor.rules.RuleTestFile.parse(name, text, testProblems)) {
                    inputs.put(name + ":" + t.line(), String.join("\n", t.events()));
                }
                testProblems.forEach(p -> notes.add(new Problem(p.file(), p.line(), "warning: " + p.message()
                        + " (the test file is not run until this is fixed)")));
            }
        });
        Map<String, RuleInfo> byName = new HashMap<>();
        rules.rules().forEach(r -> byName.put(r.name(), r));
        RuleTimes times = new RuleTimes();
        Set<String> failed = new TreeSet<>();
        int events = 0;
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            events += run(rules, input.getKey(), input.getValue(), times, byName, failed, problems, notes);
        }
        Set<String> fired = new TreeSet<>();
        for (Map<String, Object> m : RuleTimes.slowest(List.of(times), Integer.MAX_VALUE)) {
            fired.add((String) m.get("rule"));
        }
        List<String> never = new ArrayList<>();
        for (RuleInfo r : rules.rules()) {
            if (!fired.contains(r.name()) && !failed.contains(r.name())) {
                never.add(r.name() + " (" + r.file() + (r.line() > 0 ? ":" + r.line() : "") + ")");
            }
        }
        if (!never.isEmpty()) {
            notes.add(new Problem("scenarios/", 0, never.size() + " of " + rules.rules().size() + " rules never fired in the"
                    + " dry run, so their consequences were not tried: " + String.join("; ", never)
                    + " — add events that make them fire to scenarios/NAME.events.ndjson (试运行中未触发的规则)"));
        }
        return new DryRun(events, fired.size(), rules.rules().size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static int run(RuleSet rules, String source, String text, RuleTimes times, Map<String, RuleInfo> byName,
                           Set<String> failed, List<Problem> problems, List<Problem> notes) {
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new StringReader(text))) {
            new EventReader().read(in, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String json) {
                    events.add(event);
                }

                @Override
                public void reject(Rejection r) {
                    rejected.add(r);
                }
            });
        } catch (IOException e) {
            notes.add(new Problem(source, 0, "cannot read for the dry run: " + e.getMessage()));
            return 0;
        }
        if (!rejected.isEmpty()) {
            notes.add(new Problem(source, rejected.get(0).line(), rejected.size() + " lines left out of the dry run, the first: "
                    + rejected.get(0)));
        }
        // in event-time order, ties in file order (as replay takes them)
        events.sort(Comparator.comparing(Event::at));
        Map<String, CommunityEngine> engines = new TreeMap<>();
        Instant last = null;
        try {
            for (Event e : events) {
                CommunityEngine engine = engines.computeIfAbsent(e.community(),
                        c -> new CommunityEngine(c, rules, f -> { }, times));
                try {
                    engine.accept(e);
                } catch (EventException x) {
                    continue; // refused by what the community knows: a test file's business, not the rules'
                } catch (RuntimeException x) {
                    failure(x, source, e, byName, failed, problems);
                }
                last = last == null || e.at().isAfter(last) ? e.at() : last;
            }
            if (last != null) {
                for (CommunityEngine engine : engines.values()) {
                    try {
                        engine.finish(last.plus(AFTER));
                    } catch (RuntimeException x) {
                        failure(x, source, null, byName, failed, problems);
                    }
                }
            }
        } finally {
            engines.values().forEach(CommunityEngine::dispose);
        }
        return events.size();
    }

    /** A rule's consequence threw: a problem at the rule, once per rule. */
    private static void failure(RuntimeException x, String source, Event e, Map<String, RuleInfo> byName,
                                Set<String> failed, List<Problem> problems) {
        ConsequenceException c = null;
        for (Throwable t = x; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConsequenceException ce) {
                c = ce;
                break;
            }
        }
        String rule = c == null || c.getRule() == null ? null : c.getRule().getName();
        if (!failed.add(rule == null ? "?" + x.getClass().getName() : rule)) {
            return;
        }
        Throwable root = x;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName().equals("IllegalStateException") ? root.getMessage()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        String on = e == null ? "while judging deadlines" : "on event " + e.id() + " (" + e.type()
                + " at " + e.at() + ")";
        RuleInfo info = rule == null ? null : byName.get(rule);
        problems.add(new Problem(info == null ? source : info.file(), info == null ? 0 : info.line(),
                (rule == null ? "the rules fail" : "rule \"" + rule + "\" fails") + " in the dry run " + on + " of "
                        + source + ": " + why + " (规则试运行出错)"));
    }

    private static String builtIn() {
        try (InputStream in = RulesCheck.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in dry-run events " + BUILT_IN + " are not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
