package pm.monitor.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.engine.Backtest;
import pm.monitor.engine.Replay;
import pm.monitor.finding.Json;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.EventStore;

/**
 * Backtests in {@code serve}: a rules change (a folder on the server, or files laid over the
 * running rules) replayed against the running rules on the stored events of a period and set of
 * communities, in the background, with its progress, cancellable. It stores nothing as a live
 * finding and sends no alert: its findings live only in its result.
 */
public final class Backtests {
    private static final Logger LOG = LoggerFactory.getLogger(Backtests.class);

    /** One run. */
    public static final class Run {
        final String id = UUID.randomUUID().toString();
        final Instant started;
        final AtomicBoolean cancel = new AtomicBoolean();
        final AtomicLong done = new AtomicLong();
        volatile long total;
        volatile String status = "loading events";
        volatile Map<String, Object> result;
        volatile Object problems;

        Run(Instant started) {
            this.started = started;
        }

        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("status", status);
            m.put("started", started.toString());
            m.put("events", total);
            m.put("progress", total == 0 ? 0.0 : Math.min(1.0, (double) done.get() / total));
            if (problems != null) {
                m.put("problems", problems);
            }
            if (result != null) {
                m.put("result", result);
            }
            return m;
        }
    }

    private final EventStore events;
    private final Supplier<RuleSet> running;
    private final Path runningDir;
    private final Clock wall;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public Backtests(EventStore events, Supplier<RuleSet> running, Path runningDir, Clock wall) {
        this.events = events;
        this.running = running;
        this.runningDir = runningDir;
        this.wall = wall;
    }

    /**
     * Starts a backtest of {@code rulesDir} (or the running rules with {@code overlay} files laid
     * over them) against the running rules.
     */
    public Run start(Path rulesDir, Map<String, String> overlay, Instant from, Instant to, List<String> communities) {
        Run run = new Run(wall.instant());
        runs.put(run.id, run);
        Thread t = new Thread(() -> execute(run, rulesDir, overlay, from, to, communities), "backtest-" + run.id);
        t.setDaemon(true);
        t.start();
        return run;
    }

    public Run get(String id) {
        return runs.get(id);
    }

    public boolean cancel(String id) {
        Run r = runs.get(id);
        if (r == null) {
            return false;
        }
        r.cancel.set(true);
        return true;
    }

    private void execute(Run run, Path rulesDir, Map<String, String> overlay, Instant from, Instant to,
                         List<String> communities) {
        Path temp = null;
        try {
            Path dir = rulesDir;
            if (dir == null) {
                temp = Files.createTempDirectory("backtest-rules");
                copy(runningDir, temp);
                for (Map.Entry<String, String> f : overlay.entrySet()) {
                    Path p = temp.resolve(f.getKey()).normalize();
                    if (!p.startsWith(temp)) {
                        throw new IOException("a file outside the rules folder: " + f.getKey());
                    }
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
                }
                dir = temp;
            }
            pm.monitor.engine.RulesCheck.Result checked = pm.monitor.engine.RulesCheck.check(dir, null, wall);
            List<Problem> problems = checked.problems();
            RuleSet next = checked.rules();
            if (!checked.ok()) {
                run.problems = problems.stream().map(p -> Map.of("file", p.file(), "line", p.line(),
                        "message", p.message())).toList();
                run.status = "refused";
                return;
            }
            List<Replay.Input> inputs = new ArrayList<>();
            if (communities == null || communities.isEmpty()) {
                collect(null, to, inputs, run);
            } else {
                for (String c : communities) {
                    collect(c, to, inputs, run);
                }
            }
            run.total = inputs.size();
            run.status = "running";
            Backtest.Result r = Backtest.run(inputs, next, running.get(), to, from, to, 1, run.done::set,
                    run.cancel::get);
            Map<String, Object> m = new LinkedHashMap<>(r.summary());
            m.put("changes", r.changes().stream().limit(1000).map(Backtest.Change::toMap).toList());
            m.put("appearedFindings", r.appeared().stream().limit(1000).map(Json::toMap).toList());
            m.put("disappearedFindings", r.disappeared().stream().limit(1000).map(Json::toMap).toList());
            m.put("kpis", r.kpis().stream().limit(2000).toList());
            run.done.set(run.total);
            run.result = m;
            run.status = "done";
        } catch (CancellationException e) {
            run.status = "cancelled";
        } catch (Exception e) {
            LOG.warn("backtest {} failed", run.id, e);
            run.status = "failed: " + e.getMessage();
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private void collect(String community, Instant to, List<Replay.Input> inputs, Run run) {
        int[] n = {0};
        events.forEach(community, Long.MAX_VALUE, (e, seq) -> {
            if (run.cancel.get()) {
                throw new CancellationException("cancelled");
            }
            if (to == null || e.at().isBefore(to)) {
                n[0]++;
                inputs.add(new Replay.Input(e, (int) Math.min(Integer.MAX_VALUE, seq), n[0]));
            }
        });
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
