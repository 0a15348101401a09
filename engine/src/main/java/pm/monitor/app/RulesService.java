package pm.monitor.app;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.engine.Admission;
import pm.monitor.engine.Monitor;
import pm.monitor.rules.Problem;
import pm.monitor.engine.RulesCheck;
import pm.monitor.rules.RulesFolder;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.EventStore;
import pm.monitor.store.RuleVersionStore;

/**
 * Puts rules changes live without a restart: validate, then swap; a change that does not
 * compile is refused and the running rules stay. Every attempt is audited (who, when, which
 * files, the diff), and a version that was live once can be put back.
 */
public final class RulesService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);

    /** What a reload did. */
    public record Outcome(String status, String version, List<Problem> problems, long millis, List<String> changed) {
    }

    private final Path dir;
    private final Monitor monitor;
    private final Admission admission;
    private final EventStore events;
    private final RuleVersionStore versions;
    private final Clock wall;
    private final Supplier<Instant> clock;
    private volatile List<Problem> lastProblems = List.of();
    private volatile Instant lastAttempt;
    private Thread watcher;
    private volatile boolean closing;

    public RulesService(Path dir, Monitor monitor, Admission admission, EventStore events, RuleVersionStore versions,
                        Clock wall, Supplier<Instant> clock) {
        this.dir = dir;
        this.monitor = monitor;
        this.admission = admission;
        this.events = events;
        this.versions = versions;
        this.wall = wall;
        this.clock = clock;
    }

    /** The problems of the last refused change (empty when the last attempt went live). */
    public List<Problem> lastProblems() {
        return lastProblems;
    }

    public Instant lastAttempt() {
        return lastAttempt;
    }

    /**
     * Checks the folder as every command loads it (compile and dry run, {@link RulesCheck}) and,
     * if it is good and differs from what runs, puts it live.
     */
    public synchronized Outcome reload(String actor, String action) {
        long t0 = System.nanoTime();
        return apply(actor, action, RulesCheck.check(dir, knownCommunities(), wall), t0);
    }

    /**
     * Puts a checked folder live (or records why not). All or nothing: the new rules are
     * recorded as live, and reported as running, only once every community was rebuilt under
     * them; a rebuild that fails leaves the running rules live, and is a refused change with why.
     */
    public synchronized Outcome apply(String actor, String action, RulesCheck.Result checked, long t0) {
        lastAttempt = wall.instant();
        RuleSet running = monitor.rules();
        checked.notes().forEach(n -> LOG.info("rules folder: {}", n));
        if (!checked.ok()) {
            return refuse(actor, running, checked.problems(), readFiles(), t0);
        }
        RuleSet next = checked.rules();
        if (next.version().equals(running.version())) {
            lastProblems = List.of();
            return new Outcome("unchanged", running.version(), List.of(), (System.nanoTime() - t0) / 1_000_000, List.of());
        }
        Instant activation = clock.get();
        List<String> changed = changed(running.files(), next.files());
        long checkedAt = System.nanoTime();
        try {
            admission.rules(next);
            monitor.reload(next, activation, (community, maxSeq, sink) ->
                    events.forEach(community, maxSeq, (e, seq) -> sink.accept(e))).join();
        } catch (RuntimeException e) {
            admission.rules(running);
            LOG.warn("rules {} by {} failed while rebuilding the communities; the running rules {} stay", next.version(),
                    actor, running.version(), e);
            return refuse(actor, running, List.of(rebuildFailure(e, next)), next.files(), t0);
        }
        lastProblems = List.of();
        try {
            versions.record(next.version(), action, actor, activation, next.files(), changed,
                    diff(running.files(), next.files()), null);
        } catch (RuntimeException e) {
            // the rules run; the audit will show the version at the next start (it differs from the stored one)
            LOG.error("rules {} live but not recorded in rules_changes: {}", next.version(), e.toString());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("rules {} live (was {}), by {}, in {} ms (checked in {} ms, communities rebuilt in {} ms); changed: {}",
                next.version(), running.version(), actor, millis, (checkedAt - t0) / 1_000_000,
                (System.nanoTime() - checkedAt) / 1_000_000, changed);
        return new Outcome("live", next.version(), List.of(), millis, changed);
    }

    private Outcome refuse(String actor, RuleSet running, List<Problem> problems, SortedMap<String, String> files, long t0) {
        List<String> changed = changed(running.files(), files);
        try {
            versions.record("refused", "refused", actor, null, files, changed, diff(running.files(), files), problems);
        } catch (RuntimeException e) {
            LOG.error("a refused rules change could not be recorded: {}", e.toString());
        }
        lastProblems = List.copyOf(problems);
        LOG.warn("rules change by {} refused, {} problems; the running rules {} stay", actor, problems.size(),
                running.version());
        return new Outcome("refused", running.version(), problems, (System.nanoTime() - t0) / 1_000_000, changed);
    }

    /** Why a rebuild under new rules failed, at the rule that threw when it is known. */
    private static Problem rebuildFailure(Throwable e, RuleSet next) {
        Throwable root = e;
        org.kie.api.runtime.rule.ConsequenceException c = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.kie.api.runtime.rule.ConsequenceException ce) {
                c = ce;
            }
            root = t;
        }
        String rule = c == null || c.getRule() == null ? null : c.getRule().getName();
        pm.monitor.rules.RuleInfo info = rule == null ? null
                : next.rules().stream().filter(r -> r.name().equals(rule)).findFirst().orElse(null);
        return new Problem(info == null ? "-" : info.file(), info == null ? 0 : info.line(),
                (rule == null ? "" : "rule \"" + rule + "\": ") + "rebuilding the communities from their stored events"
                        + " failed: " + root + "; the running rules stay (用存储的事件重建时出错，仍运行原规则)");
    }

    /** The communities with stored events: a [community CODE] section for another one is a note. */
    private java.util.Set<String> knownCommunities() {
        try {
            return events.communities();
        } catch (RuntimeException e) {
            LOG.warn("cannot list the communities: {}", e.toString());
            return null;
        }
    }

    /**
     * The start found the folder refused and runs the version that was live before it
     * ({@code running}): recorded as a refused change, and said in health until a good change
     * goes live.
     */
    public synchronized void refusedAtStart(RulesCheck.Result checked) {
        lastAttempt = wall.instant();
        startedOnStored = true;
        refuse("serve (start)", monitor.rules(), checked.problems(), readFiles(), System.nanoTime());
    }

    /**
     * Puts the folder live at a start that ran the version from before the stop first; if that
     * fails (a rebuild error), the service goes on with that version, as after a refused folder.
     */
    public synchronized Outcome applyAtStart(RulesCheck.Result checked) {
        Outcome o = apply("serve (rules changed while stopped)", "start", checked, System.nanoTime());
        if (o.status().equals("refused")) {
            startedOnStored = true;
        }
        return o;
    }

    /** Whether the service started on the last version that loaded because the folder was refused. */
    private volatile boolean startedOnStored;

    /**
     * For {@code GET /api/health}: the running version, and whether the folder is refused (the
     * running version is then not the folder's).
     */
    public Map<String, Object> health() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        RuleSet running = monitor.rules();
        m.put("version", running.version());
        m.put("loadedAt", running.loadedAt().toString());
        List<Problem> problems = lastProblems;
        if (problems.isEmpty()) {
            startedOnStored = false; // a good change went live since
        }
        m.put("folder", problems.isEmpty() ? "ok" : "refused");
        if (!problems.isEmpty()) {
            m.put("problems", problems.size());
            m.put("lastAttempt", String.valueOf(lastAttempt));
            if (startedOnStored) {
                m.put("startedOn", "the last version that loaded");
            }
        }
        return m;
    }

    /** Whether the rules running are not those of the folder, because the folder was refused. */
    public boolean folderRefused() {
        return !lastProblems.isEmpty();
    }

    /** Writes a version's files back into the folder and puts it live. */
    public synchronized Outcome rollback(String version, String actor) throws IOException {
        SortedMap<String, String> files = versions.filesOf(version);
        if (files == null) {
            return new Outcome("unknown", version, List.of(new Problem("-", 0, "no version " + version + " was ever live")),
                    0, List.of());
        }
        for (String path : readFiles().keySet()) {
            if (!files.containsKey(path)) {
                Files.deleteIfExists(dir.resolve(path));
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey()).normalize();
            if (!p.startsWith(dir.normalize())) {
                throw new IOException("refusing to write outside the rules folder: " + f.getKey());
            }
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return reload(actor, "rollback");
    }

    /** Watches the folder: a change (after a quiet second) is a reload by "file watcher". */
    public void watch() {
        watcher = new Thread(() -> {
            try (WatchService ws = FileSystems.getDefault().newWatchService()) {
                register(ws);
                while (!closing) {
                    WatchKey key = ws.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (key == null) {
                        continue;
                    }
                    key.pollEvents();
                    key.reset();
                    // let an editor finish writing (and collect the other files of the change)
                    WatchKey more;
                    while ((more = ws.poll(1000, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    register(ws);
                    try {
                        reload("file watcher", "reload");
                    } catch (RuntimeException e) {
                        LOG.error("reloading the rules failed", e);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot watch {}: {}; use POST /api/rules/reload", dir, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rules-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void register(WatchService ws) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            // a .git folder (a rules folder kept as a checkout) changes on every fetch: not rules
            for (Path p : s.filter(Files::isDirectory).filter(p -> p.equals(dir)
                    || !dir.relativize(p).toString().replace('\\', '/').matches("(.*/)?\\..*")).toList()) {
                p.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    /** The rules files of the folder as text (RulesFolder: what is not a rules file, or not text, is left out). */
    private SortedMap<String, String> readFiles() {
        SortedMap<String, String> files = new TreeMap<>();
        try {
            for (Map.Entry<String, Path> f : RulesFolder.list(dir.toAbsolutePath().normalize()).files().entrySet()) {
                String text = RulesFolder.text(Files.readAllBytes(f.getValue()));
                if (text != null) {
                    files.put(f.getKey(), text);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("reading {}: {}", dir, e.getMessage());
        }
        return files;
    }

    static List<String> changed(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        List<String> changed = new ArrayList<>();
        for (String f : all) {
            if (!java.util.Objects.equals(before.get(f), after.get(f))) {
                changed.add(f);
            }
        }
        return changed;
    }

    /** A unified diff of every changed file (the audit shows it as is). */
    static String diff(Map<String, String> before, Map<String, String> after) {
        StringBuilder out = new StringBuilder();
        for (String f : changed(before, after)) {
            List<String> a = before.containsKey(f) ? List.of(before.get(f).split("\n", -1)) : List.of();
            List<String> b = after.containsKey(f) ? List.of(after.get(f).split("\n", -1)) : List.of();
            Patch<String> patch = DiffUtils.diff(a, b);
            for (String line : UnifiedDiffUtils.generateUnifiedDiff("a/" + f, "b/" + f, a, patch, 2)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        closing = true;
    }
}
