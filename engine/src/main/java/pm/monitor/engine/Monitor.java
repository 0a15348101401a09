package pm.monitor.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.rules.RuleSet;

/**
 * The live monitor: every community's engine, spread over shards (one thread each, so a
 * community is always worked on by one thread, in order, and both cores are used). Events
 * arrive here after they are stored; findings leave through {@code findings} and KPI values
 * through the {@link KpiBoard}.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final Shard[] shards;
    private final Consumer<List<Finding>> findings;
    private final KpiBoard board;
    private volatile RuleSet rules;

    /** One thread and the communities hashed to it. */
    private final class Shard {
        final ExecutorService thread;
        final Map<String, CommunityEngine> engines = new HashMap<>();
        final List<Finding> emitted = new ArrayList<>();

        Shard(int i) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "engine-" + i);
                t.setDaemon(true);
                return t;
            });
        }

        CommunityEngine engine(String community) {
            return engines.computeIfAbsent(community, c -> new CommunityEngine(c, rules, emitted::add));
        }

        void accept(List<Event> events) {
            for (Event e : events) {
                try {
                    engine(e.community()).accept(e);
                } catch (EventException x) {
                    // Admission checked it against the same facts; reaching here is a bug, not bad input.
                    LOG.error("event {} of {} refused by its engine after it was stored: {}", e.id(), e.community(),
                            x.getMessage());
                }
            }
            flush();
        }

        void advance(Instant to, boolean inclusive) {
            for (CommunityEngine engine : engines.values()) {
                engine.advanceTo(to, inclusive);
            }
            flush();
        }

        void flush() {
            if (!emitted.isEmpty()) {
                List<Finding> out = new ArrayList<>(emitted);
                emitted.clear();
                findings.accept(out);
            }
            for (CommunityEngine engine : engines.values()) {
                List<pm.monitor.finding.Kpi> changed = engine.kpis().drainChanged();
                if (!changed.isEmpty()) {
                    board.put(changed);
                }
            }
        }
    }

    public Monitor(RuleSet rules, int shardCount, Consumer<List<Finding>> findings, KpiBoard board) {
        this.rules = rules;
        this.findings = findings;
        this.board = board;
        this.shards = new Shard[Math.max(1, shardCount)];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i);
        }
    }

    public RuleSet rules() {
        return rules;
    }

    public KpiBoard board() {
        return board;
    }

    private Shard shardOf(String community) {
        return shards[Math.floorMod(community.hashCode(), shards.length)];
    }

    /**
     * Hands stored events to their communities' engines, in the given order per community.
     * The future completes when every engine has taken its events.
     */
    public CompletableFuture<Void> submit(List<Event> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<Shard, List<Event>> split = new HashMap<>();
        for (Event e : events) {
            split.computeIfAbsent(shardOf(e.community()), s -> new ArrayList<>()).add(e);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Map.Entry<Shard, List<Event>> s : split.entrySet()) {
            done.add(CompletableFuture.runAsync(() -> s.getKey().accept(s.getValue()), s.getKey().thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** Moves every community's clock to {@code to}: deadlines pass with no event. */
    public CompletableFuture<Void> advance(Instant to, boolean inclusive) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Shard s : shards) {
            done.add(CompletableFuture.runAsync(() -> s.advance(to, inclusive), s.thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** Runs {@code task} on the thread that owns {@code community}, with its engine (created if new). */
    public <T> CompletableFuture<T> withEngine(String community, java.util.function.Function<CommunityEngine, T> task) {
        Shard s = shardOf(community);
        return CompletableFuture.supplyAsync(() -> task.apply(s.engine(community)), s.thread);
    }

    /** Communities known so far. */
    public CompletableFuture<List<String>> communities() {
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        for (Shard s : shards) {
            parts.add(CompletableFuture.supplyAsync(() -> new ArrayList<>(s.engines.keySet()), s.thread));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            all.sort(null);
            return all;
        });
    }

    @Override
    public void close() {
        for (Shard s : shards) {
            s.thread.shutdown();
        }
        for (Shard s : shards) {
            try {
                s.thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.engines.values().forEach(CommunityEngine::dispose);
        }
    }
}
