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
import pm.monitor.calendar.CalendarHealth;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiRecovered;
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
    /** How events behind their community's clock are taken, or null to take them as they come. */
    private final Lateness lateness;
    private volatile RuleSet rules;
    /** Findings stamped at or before it belong to an earlier rules version and are not emitted. */
    private volatile Instant activation;

    /**
     * The stored findings of a community's duties (those judged at a deadline), read when a
     * rebuild's finding is about a duty whose clock started before the running rules took
     * effect: an earlier version may have reported that duty already, at another deadline.
     */
    public interface Reported {
        /** The live stored findings with a deadline of these subjects: id, rule, kind, subject, details. */
        List<Map<String, Object>> ofSubjects(String community, java.util.Collection<String> subjects);
    }

    private volatile Reported reported;

    /** Where the stored findings of duties are read (see {@link Reported}); without it none is left out. */
    public void reported(Reported r) {
        this.reported = r;
    }

    /**
     * The findings of {@code found} less those about a duty that a stored finding already
     * reported (README "Reloads and open duties"): a breach reported stands and is never reported
     * again, at whatever deadline a rules change gives it — a violation is left out when the
     * duty has a stored violation (or alert) under another id, a warning when it has any stored
     * finding under another id. Only duties whose clock started at or before {@code from} (the
     * running rules' activation) can have been reported by an earlier version, so only those are
     * looked up. If the lookup fails (the database is away) nothing is left out: a finding may be
     * reported twice, none is lost.
     */
    List<Finding> unreported(List<Finding> found, Instant from) {
        Reported source = reported;
        if (source == null || from == null || found.isEmpty()) {
            return found;
        }
        Map<String, Map<Finding, DutyKey>> asked = null;
        for (Finding f : found) {
            if (f.dueAt() == null) {
                continue;
            }
            DutyKey k = DutyKey.of(f);
            if (k != null && !k.startsAt().isAfter(from)) {
                if (asked == null) {
                    asked = new java.util.LinkedHashMap<>();
                }
                asked.computeIfAbsent(f.community(), c -> new java.util.LinkedHashMap<>()).put(f, k);
            }
        }
        if (asked == null) {
            return found;
        }
        java.util.Set<Finding> drop = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            for (Map.Entry<String, Map<Finding, DutyKey>> c : asked.entrySet()) {
                java.util.Set<String> subjects = new java.util.TreeSet<>();
                c.getValue().keySet().forEach(f -> subjects.add(f.subject()));
                Map<DutyKey, List<Map<String, Object>>> stored = new HashMap<>();
                for (Map<String, Object> s : source.ofSubjects(c.getKey(), subjects)) {
                    DutyKey k = DutyKey.of((String) s.get("rule"), (String) s.get("subject"), (Map<?, ?>) s.get("details"));
                    if (k != null) {
                        stored.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
                    }
                }
                for (Map.Entry<Finding, DutyKey> e : c.getValue().entrySet()) {
                    Finding f = e.getKey();
                    for (Map<String, Object> s : stored.getOrDefault(e.getValue(), List.of())) {
                        if (!f.id().equals(s.get("id"))
                                && (Finding.WARNING.equals(f.kind()) || !Finding.WARNING.equals(s.get("kind")))) {
                            drop.add(f);
                            LOG.info("{} of {} {} at {} not reported: the duty was reported before ({} {})", f.kind(),
                                    f.rule(), f.subject(), f.at(), s.get("kind"), s.get("id"));
                            break;
                        }
                    }
                }
            }
        } catch (RuntimeException x) {
            LOG.warn("cannot read the stored findings of duties ({}): the findings go out unchecked", x.toString());
            return found;
        }
        if (drop.isEmpty()) {
            return found;
        }
        List<Finding> out = new ArrayList<>(found.size() - drop.size());
        for (Finding f : found) {
            if (!drop.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Where a community's stored events come from, in replay order, up to a sequence number. */
    public interface History {
        void replay(String community, long maxSeq, java.util.function.Consumer<Event> sink);
    }

    /**
     * An event that came behind its community's clock and was not simply taken: applied by a
     * rebuild of its community ({@code applied}), or flagged as later than the allowed lateness.
     * {@code review} counts the findings it changed (withdrawn or added) or would change.
     */
    public record Late(String id, String community, java.time.Duration lateBy, boolean applied, int review) {
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
            CommunityEngine e = engines.get(community);
            if (e == null) {
                e = serving(new CommunityEngine(community, rules, f -> {
                    Instant from = activation;
                    if (from == null || f.at().isAfter(from)) {
                        emitted.add(f);
                    }
                }, times));
                engines.put(community, e);
                noteCalendar(e);
            }
            return e;
        }

        List<Late> accept(List<Event> events, long[] seqs, java.time.Duration[] flagged) {
            for (long seq : seqs) {
                maxSeq = Math.max(maxSeq, seq);
            }
            // Per community: the earliest out-of-order event to rebuild from, and the late events
            // that rebuild applies; the events stored flagged (later than the allowed lateness:
            // ingest decided it, and stored the flag with the event).
            Map<String, List<Lateness.Pending>> rebuild = new java.util.LinkedHashMap<>();
            List<Lateness.Pending> tooLate = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                CommunityEngine engine = engine(e.community());
                if (lateness != null && flagged != null && flagged[i] != null) {
                    tooLate.add(new Lateness.Pending(e, seqs[i], flagged[i]));
                    continue;
                }
                Instant clock = engine.clock();
                if (lateness != null && clock != null && e.at().isBefore(clock)) {
                    java.time.Duration by = java.time.Duration.between(e.at(), clock);
                    if (rebuild.containsKey(e.community()) || !engine.inOrder(e.at())) {
                        rebuild.computeIfAbsent(e.community(), c -> new ArrayList<>())
                                .add(new Lateness.Pending(e, seqs[i], by));
                        continue;
                    }
                } else if (rebuild.containsKey(e.community())) {
                    continue; // stored: the community's rebuild below takes it, in its place
                }
                take(engine, e);
            }
            if (rebuild.isEmpty() && tooLate.isEmpty()) {
                flush();
                return List.of();
            }
            List<Late> late = new ArrayList<>();
            try {
                // (The flagged ones were stored flagged: the rebuilds' history leaves them out.)
                for (Map.Entry<String, List<Lateness.Pending>> r : rebuild.entrySet()) {
                    late.addAll(rebuild(r.getKey(), r.getValue()));
                }
                for (Lateness.Pending p : tooLate) {
                    late.add(review(p));
                }
            } catch (RuntimeException x) {
                // The events are stored; what is missing is their effect. Logged, not thrown:
                // the shard goes on with the events queued behind these.
                LOG.error("handling {} late events failed: {}", rebuild.size() + tooLate.size(), x.toString(), x);
            }
            flush();
            return late;
        }

        private void take(CommunityEngine engine, Event e) {
            try {
                engine.accept(e);
                if (e instanceof pm.monitor.event.Events.CommunityRegistered) {
                    noteCalendar(engine);
                }
            } catch (EventException x) {
                // Admission checked it against the same facts; reaching here is a bug, not bad input.
                LOG.error("event {} of {} refused by its engine after it was stored: {}", e.id(), e.community(),
                        x.getMessage());
            }
        }

        /**
         * Rebuilds a community from its stored history in event-time order, up to the clock it
         * had: the late events take their place. Findings the rebuild makes that were not there
         * are emitted; live ones it no longer makes are withdrawn and listed for review.
         */
        @SuppressWarnings("unchecked")
        private List<Late> rebuild(String community, List<Lateness.Pending> pending) {
            CommunityEngine old = engines.get(community);
            Instant from = activation;
            flush();
            Map<String, Map<String, Object>> before = lateness.live(community, from);
            List<Finding> found = new ArrayList<>();
            List<Finding>[] to = new List[] {found};
            CommunityEngine fresh = replayed(community, f -> to[0].add(f), null, times);
            if (old.clock() != null) {
                fresh.advanceTo(old.clock(), old.judgedThroughClock());
            }
            to[0] = emitted; // from now on it is the live engine
            engines.put(community, fresh);
            noteCalendar(fresh);
            old.dispose();
            Map<String, Finding> now = new java.util.LinkedHashMap<>();
            unreported(found, from).forEach(f -> now.put(f.id(), f));
            emitted.addAll(now.values());
            Lateness.Pending first = pending.get(0);
            List<String> withdrawn = new ArrayList<>();
            List<pm.monitor.store.ReviewStore.Change> changes = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> f : before.entrySet()) {
                if (!now.containsKey(f.getKey())) {
                    withdrawn.add(f.getKey());
                    changes.add(change(first, true, pm.monitor.store.ReviewStore.WITHDRAWN, f.getKey(), f.getValue()));
                }
            }
            for (Finding f : now.values()) {
                if (!before.containsKey(f.id())) {
                    changes.add(change(first, true, pm.monitor.store.ReviewStore.ADDED, f.id(),
                            pm.monitor.finding.Json.toMap(f)));
                }
            }
            List<String> ids = new ArrayList<>();
            pending.forEach(p -> ids.add(p.event().id()));
            lateness.withdraw(withdrawn, "late event" + (ids.size() > 1 ? "s " : " ") + String.join(", ", ids)
                    + " (" + first.lateBy() + " behind the clock): in event-time order this finding is not found");
            lateness.review(changes);
            List<Late> out = new ArrayList<>();
            for (Lateness.Pending p : pending) {
                lateness.markApplied(p.seq(), p.lateBy());
                // The changes are the rebuild's, listed under the earliest late event of the batch.
                out.add(new Late(p.event().id(), community, p.lateBy(), true, p == first ? changes.size() : 0));
            }
            return out;
        }

        /**
         * What a flagged event would change: the community rebuilt aside with it, compared with
         * the live findings. Nothing live changes.
         */
        private Late review(Lateness.Pending p) {
            String community = p.event().community();
            CommunityEngine live = engine(community);
            flush();
            Map<String, Map<String, Object>> before = lateness.live(community, activation);
            List<Finding> found = new ArrayList<>();
            CommunityEngine side = replayed(community, found::add, p, null);
            try {
                if (live.clock() != null) {
                    side.advanceTo(live.clock(), live.judgedThroughClock());
                }
            } finally {
                side.dispose();
            }
            Map<String, Finding> would = new java.util.LinkedHashMap<>();
            unreported(found, activation).forEach(f -> would.put(f.id(), f));
            List<pm.monitor.store.ReviewStore.Change> changes = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> f : before.entrySet()) {
                if (!would.containsKey(f.getKey())) {
                    changes.add(change(p, false, pm.monitor.store.ReviewStore.WOULD_WITHDRAW, f.getKey(), f.getValue()));
                }
            }
            for (Finding f : would.values()) {
                if (!before.containsKey(f.id())) {
                    changes.add(change(p, false, pm.monitor.store.ReviewStore.WOULD_ADD, f.id(),
                            pm.monitor.finding.Json.toMap(f)));
                }
            }
            lateness.reviewed(p.seq(), changes);
            return new Late(p.event().id(), community, p.lateBy(), false, changes.size());
        }

        private pm.monitor.store.ReviewStore.Change change(Lateness.Pending p, boolean applied, String change,
                                                          String id, Map<String, Object> finding) {
            return new pm.monitor.store.ReviewStore.Change(p.event().community(), p.event().id(), p.seq(),
                    p.lateBy().toMillis(), applied, change, id, finding);
        }

        /**
         * A new engine for the community with its stored live history up to this shard's
         * sequence number, in event-time order (ties by storage order), plus {@code extra} in
         * its place when given; its findings after the activation go to {@code found}.
         */
        private CommunityEngine replayed(String community, Consumer<Finding> found, Lateness.Pending extra,
                                         pm.monitor.rules.RuleTimes timing) {
            CommunityEngine fresh = serving(new CommunityEngine(community, rules, f -> {
                Instant from = activation;
                if (from == null || f.at().isAfter(from)) {
                    found.accept(f);
                }
            }, timing));
            java.util.function.Consumer<Event> take = e -> {
                try {
                    fresh.accept(e);
                } catch (EventException x) {
                    LOG.warn("rebuilding {}: event {} refused: {}", community, e.id(), x.getMessage());
                }
            };
            boolean[] placed = {extra == null};
            lateness.replay(community, maxSeq, (e, seq) -> {
                if (!placed[0] && (e.at().isAfter(extra.event().at())
                        || (e.at().equals(extra.event().at()) && seq > extra.seq()))) {
                    placed[0] = true;
                    take.accept(extra.event());
                }
                take.accept(e);
            });
            if (!placed[0]) {
                take.accept(extra.event());
            }
            return fresh;
        }

        /**
         * This shard's part of {@link Monitor#reload}: builds the new engines beside the running
         * ones, says whether that worked ({@code built}), waits for every shard's answer
         * ({@code decision}) and then swaps them in, or drops them.
         */
        void reload(RuleSet next, Instant activation, History history, CompletableFuture<Void> built,
                    CompletableFuture<Boolean> decision) {
            Map<String, CommunityEngine> fresh = new java.util.TreeMap<>();
            List<Finding> out = new ArrayList<>();
            // Once swapped in, an engine's findings are the live ones: those of events applied from
            // then on are emitted whatever their time (an event stamped before the activation that
            // waited behind the reload was never seen by the old engine).
            boolean[] live = {false};
            try {
                for (String community : new java.util.TreeSet<>(engines.keySet())) {
                    CommunityEngine old = engines.get(community);
                    // the duties still open under the running rules are judged again under the new ones
                    java.util.Set<DutyKey> open = new java.util.HashSet<>();
                    old.duties().stillOpen().forEach(d -> open.add(DutyKey.of(d)));
                    List<Finding> found = new ArrayList<>();
                    CommunityEngine e = serving(new CommunityEngine(community, next, f -> {
                        if (live[0]) {
                            emitted.add(f);
                        } else if (f.at().isAfter(activation)) {
                            found.add(f);
                        } else if (f.dueAt() != null && !Finding.WARNING.equals(f.kind())) {
                            DutyKey k = DutyKey.of(f);
                            if (k != null && open.contains(k)) {
                                found.add(f); // tightened past its new deadline: its violation now, at that deadline
                            }
                        }
                    }, times));
                    fresh.put(community, e);
                    history.replay(community, maxSeq, ev -> {
                        try {
                            e.accept(ev);
                        } catch (EventException x) {
                            LOG.warn("rebuilding {}: event {} refused: {}", community, ev.id(), x.getMessage());
                        }
                    });
                    if (old.clock() != null) {
                        e.advanceTo(old.clock(), old.judgedThroughClock());
                    }
                    out.addAll(unreported(found, activation));
                }
                built.complete(null);
            } catch (RuntimeException | Error x) {
                LOG.warn("rebuilding under rules {} failed: {}", next.version(), x.toString());
                built.completeExceptionally(x);
            }
            boolean commit;
            try {
                commit = decision.get();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                commit = false;
            } catch (java.util.concurrent.ExecutionException x) {
                commit = false;
            }
            if (!commit) {
                fresh.values().forEach(CommunityEngine::dispose);
                return;
            }
            live[0] = true;
            for (Map.Entry<String, CommunityEngine> f : fresh.entrySet()) {
                CommunityEngine old = engines.put(f.getKey(), f.getValue());
                noteCalendar(f.getValue());
                if (old != null) {
                    old.dispose();
                }
            }
            if (!out.isEmpty()) {
                findings.accept(out); // checked above; flush would ask the store again
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
                List<Finding> out = unreported(new ArrayList<>(emitted), activation);
                emitted.clear();
                if (!out.isEmpty()) {
                    findings.accept(out);
                }
            }
            for (CommunityEngine engine : engines.values()) {
                List<pm.monitor.finding.Kpi> changed = engine.kpis().drainChanged();
                if (!changed.isEmpty()) {
                    board.put(changed);
                }
                List<KpiRecovered> back = engine.kpis().drainRecovered();
                if (!back.isEmpty()) {
                    recovered.accept(back);
                }
                List<String> retired = engine.kpis().drainRetired();
                if (!retired.isEmpty()) {
                    board.retire(engine.code(), retired);
                }
            }
        }
    }

    /**
     * Per community: the calendar and zone it counts with, for the health check (read from any
     * thread; written by the community's shard when its engine is made or it registers).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, CalendarHealth.Use> calendars =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The latest instant the communities were moved to: the service's clock (wall or events). */
    private final java.util.concurrent.atomic.AtomicReference<Instant> clock = new java.util.concurrent.atomic.AtomicReference<>();

    private void noteCalendar(CommunityEngine e) {
        CalendarHealth.Use u = new CalendarHealth.Use(e.calendarName(), e.zone());
        if (!u.equals(calendars.get(e.code()))) {
            calendars.put(e.code(), u);
        }
    }

    /** A community's time zone as its engine counts (the contract's default before it is known). */
    public java.time.ZoneId zoneOf(String community) {
        CalendarHealth.Use u = calendars.get(community);
        return u == null ? java.time.ZoneId.of("Asia/Shanghai") : u.zone();
    }

    /** The calendars in use with their zones (each once). */
    public java.util.Set<CalendarHealth.Use> calendarUses() {
        return new java.util.HashSet<>(calendars.values());
    }

    /**
     * The service's present: the latest instant {@link #advance} moved the communities to or
     * {@link #present} noted, or null before the first.
     */
    public Instant clock() {
        return clock.get();
    }

    /**
     * Notes the service's present without moving any community (the event clock: the newest
     * stored event; each community's own clock moves with its own events only).
     */
    public void present(Instant at) {
        clock.accumulateAndGet(at, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    /** Whether the calendars in use have data for the service's present (see {@link CalendarHealth}). */
    public CalendarHealth.Report calendarHealth() {
        return CalendarHealth.check(rules.calendars(), calendarUses(), clock());
    }

    /** The service's engines let retired KPI values go: the board had them and the store keeps them. */
    private CommunityEngine serving(CommunityEngine e) {
        e.kpis().keepRetired(false);
        e.kpis().recordRecoveries();
        return untouched == null ? e : e.keepingUntouchedIn(untouched);
    }

    /** Where untouched open tickets are brought back from (null: they stay in memory). */
    private volatile TicketHistory untouched;

    /**
     * Lets open tickets untouched for {@code ticket.dormant-after} leave memory, brought back from
     * {@code history} when an event for one comes (issue 17.16); set before the first event.
     */
    public Monitor keepingUntouchedIn(TicketHistory history) {
        this.untouched = history;
        return this;
    }

    public Monitor(RuleSet rules, int shardCount, Consumer<List<Finding>> findings, KpiBoard board) {
        this(rules, shardCount, findings, board, null);
    }

    /** @param lateness how events behind their community's clock are taken; null: as they come */
    public Monitor(RuleSet rules, int shardCount, Consumer<List<Finding>> findings, KpiBoard board,
                   Lateness lateness) {
        this.lateness = lateness;
        this.rules = rules;
        pm.monitor.rules.LiveRuleMetadata.use(rules);
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

    /** Who is told of KPIs back at their target (the alerts, which resolve the alerts of their falls). */
    private volatile Consumer<List<KpiRecovered>> recovered = r -> { };

    /** Tells {@code to} of every KPI back at its target, on the thread of its community's shard. */
    public Monitor onKpiRecovered(Consumer<List<KpiRecovered>> to) {
        this.recovered = to;
        return this;
    }

    private Shard shardOf(String community) {
        return shards[Math.floorMod(community.hashCode(), shards.length)];
    }

    /**
     * Hands stored events (with their sequence numbers) to their communities' engines, in the
     * given order per community. The future completes when every engine has taken its events,
     * with those that came late (see {@link Late}).
     */
    public CompletableFuture<List<Late>> submit(List<Event> events, long[] seqs) {
        return submit(events, seqs, null);
    }

    /**
     * {@link #submit(List, long[])}, with the events stored flagged ({@code flagged[i]}: how late,
     * null when not flagged; the array null when none is): those are not applied, only reviewed.
     */
    public CompletableFuture<List<Late>> submit(List<Event> events, long[] seqs, java.time.Duration[] flagged) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Map<Shard, List<Integer>> split = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            split.computeIfAbsent(shardOf(events.get(i).community()), s -> new ArrayList<>()).add(i);
        }
        List<CompletableFuture<List<Late>>> done = new ArrayList<>();
        for (Map.Entry<Shard, List<Integer>> s : split.entrySet()) {
            List<Event> part = new ArrayList<>(s.getValue().size());
            long[] partSeqs = new long[s.getValue().size()];
            java.time.Duration[] partFlags = flagged == null ? null : new java.time.Duration[partSeqs.length];
            for (int k = 0; k < partSeqs.length; k++) {
                part.add(events.get(s.getValue().get(k)));
                partSeqs[k] = seqs[s.getValue().get(k)];
                if (flagged != null) {
                    partFlags[k] = flagged[s.getValue().get(k)];
                }
            }
            done.add(CompletableFuture.supplyAsync(() -> s.getKey().accept(part, partSeqs, partFlags), s.getKey().thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Late> late = new ArrayList<>();
            done.forEach(d -> late.addAll(d.join()));
            return late;
        });
    }

    /**
     * Puts new rules live: every community's engine is rebuilt from its stored events (those its
     * shard has applied; later ones wait in the shard's queue, so none is lost or applied
     * twice) under the new rules, and swapped in. Ingest goes on meanwhile: events are stored and
     * acknowledged, and queue for their shard.
     *
     * <p>All or nothing: every shard first builds its new engines beside the running ones and
     * waits; only when every shard has built them without an error are they swapped in and the
     * new rules reported as running. If any rebuild fails (a rule that throws on some stored
     * event), the new engines are dropped, the running ones stay, and the future fails with why.
     *
     * <p>What the new rules emit (README "Reloads and open duties"): their findings stamped after
     * {@code activation}; and for a duty that was still open in the running engine, its violation
     * even when the new rules put its deadline at or before {@code activation} — stamped at the
     * new deadline. Findings stamped at or before {@code activation} otherwise belong to the
     * previous version's time and are not emitted; a duty a stored finding already reported is
     * not reported again ({@link #unreported}).
     */
    public CompletableFuture<Void> reload(RuleSet next, Instant activation, History history) {
        CompletableFuture<Boolean> decision = new CompletableFuture<>();
        List<CompletableFuture<Void>> built = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Shard s : shards) {
            CompletableFuture<Void> b = new CompletableFuture<>();
            built.add(b);
            try {
                done.add(CompletableFuture.runAsync(() -> s.reload(next, activation, history, b, decision), s.thread)
                        .whenComplete((v, x) -> {
                            if (x != null) {
                                b.completeExceptionally(x);
                            }
                        }));
            } catch (RuntimeException x) { // the shard's thread is shut down
                b.completeExceptionally(x);
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(built.toArray(CompletableFuture[]::new));
        all.whenComplete((v, x) -> {
            if (x == null) {
                // before any shard goes on: they all wait for this decision
                this.rules = next;
                this.activation = activation;
                pm.monitor.rules.LiveRuleMetadata.use(next);
            }
            decision.complete(x == null);
        });
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).handle((v, x) -> null)
                .thenCompose(v -> all);
    }

    /** Moves every community's clock to {@code to}: deadlines pass with no event. */
    public CompletableFuture<Void> advance(Instant to, boolean inclusive) {
        clock.accumulateAndGet(to, (a, b) -> a == null || b.isAfter(a) ? b : a);
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

    /**
     * Stops the engines of these communities and drops their state from memory: another instance
     * of a cluster owns them now (pm.monitor.cluster.PartitionOwner). Work handed to their shards
     * before this call is done first; an event for one of them later starts a new engine.
     */
    public CompletableFuture<Void> stop(java.util.Collection<String> communities) {
        Map<Shard, List<String>> split = new HashMap<>();
        for (String c : communities) {
            split.computeIfAbsent(shardOf(c), s -> new ArrayList<>()).add(c);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Map.Entry<Shard, List<String>> s : split.entrySet()) {
            done.add(CompletableFuture.runAsync(() -> {
                for (String c : s.getValue()) {
                    CommunityEngine e = s.getKey().engines.remove(c);
                    if (e != null) {
                        e.dispose();
                    }
                }
            }, s.getKey().thread));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
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
