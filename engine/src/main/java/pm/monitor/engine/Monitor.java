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
    /** Findings stamped at or before it belong to an earlier rules version and are not emitted. */
    private volatile Instant activation;

    /** Where a community's stored events come from, in replay order, up to a sequence number. */
    public interface History {
        void replay(String community, long maxSeq, java.util.function.Consumer<Event> sink);
    }

    /** One thread and the communities hashed to it. */
    private final class Shard {
        final ExecutorService thread;
        final Map<String, CommunityEngine> engines = new HashMap<>();
        final List<Finding> emitted = new ArrayList<>();
        /** The highest stored sequence number this shard has applied. */
        long maxSeq;
        final pm.monitor.rules.RuleTimes times = new pm.monitor.rules.RuleTimes();

        Shard(int i) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "engine-" + i);
                t.setDaemon(true);
                return t;
            });
        }

        CommunityEngine engine(String community) {
            return engines.computeIfAbsent(community, c -> new CommunityEngine(c, rules, f -> {
                Instant from = activation;
                if (from == null || f.at().isAfter(from)) {
                    emitted.add(f);
                }
            }, times));
        }

        void accept(List<Event> events, long[] seqs) {
            for (long seq : seqs) {
                maxSeq = Math.max(maxSeq, seq);
            }
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

    /** Sets when the running rules version took effect (see {@link #reload}). */
    public void activation(Instant at) {
        this.activation = at;
    }

    public KpiBoard board() {
        return board;
    }

    private Shard shardOf(String community) {
        return shards[Math.floorMod(community.hashCode(), shards.length)];
    }

    /**
     * Hands stored events (with their sequence numbers) to their communities' engines, in the
     * given order per community. The future completes when every engine has taken its events.
     */
    public CompletableFuture<Void> submit(List<Event> events, long[] seqs) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<Shard, List<Integer>> split = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            split.computeIfAbsent(shardOf(events.get(i).community()), s -> new ArrayList<>()).add(i);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Map.Entry<Shard, List<Integer>> s : split.entrySet()) {
            List<Event> part = new ArrayList<>(s.getValue().size());
            long[] partSeqs = new long[s.getValue().size()];
            for (int k = 0; k < partSeqs.length; k++) {
                part.add(events.get(s.getValue().get(k)));
                partSeqs[k] = seqs[s.getValue().get(k)];
            }
            done.add(CompletableFuture.runAsync(() -> s.getKey().accept(part, partSeqs), s.getKey().thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Puts new rules live: every community's engine is rebuilt from its stored events (those its
     * shard has applied; later ones wait in the shard's queue, so none is lost or applied
     * twice) under the new rules, and swapped in. Findings of the new rules stamped at or before
     * {@code activation} belong to the previous version's time and are not emitted. Ingest goes
     * on meanwhile: events are stored and acknowledged, and queue for their shard.
     */
    public CompletableFuture<Void> reload(RuleSet next, Instant activation, History history) {
        this.rules = next;
        this.activation = activation;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Shard s : shards) {
            done.add(CompletableFuture.runAsync(() -> {
                for (String community : new java.util.TreeSet<>(s.engines.keySet())) {
                    CommunityEngine old = s.engines.get(community);
                    CommunityEngine fresh = new CommunityEngine(community, next, f -> {
                        if (f.at().isAfter(activation)) {
                            s.emitted.add(f);
                        }
                    }, s.times);
                    history.replay(community, s.maxSeq, e -> {
                        try {
                            fresh.accept(e);
                        } catch (EventException x) {
                            LOG.warn("rebuilding {}: event {} refused: {}", community, e.id(), x.getMessage());
                        }
                    });
                    if (old.clock() != null) {
                        fresh.advanceTo(old.clock(), false);
                    }
                    s.engines.put(community, fresh);
                    old.dispose();
                }
                s.flush();
            }, s.thread));
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

    /** Completes when every shard has done all the work handed to it before this call. */
    public CompletableFuture<Void> barrier() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Shard s : shards) {
            done.add(CompletableFuture.runAsync(() -> { }, s.thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** The rules with the most consequence time so far, over all shards. */
    public List<Map<String, Object>> ruleTimes() {
        List<pm.monitor.rules.RuleTimes> all = new ArrayList<>();
        for (Shard s : shards) {
            all.add(s.times);
        }
        return pm.monitor.rules.RuleTimes.slowest(all, 20);
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
