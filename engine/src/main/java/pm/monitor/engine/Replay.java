package pm.monitor.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiTracker;
import pm.monitor.rules.RuleSet;

/**
 * Evaluates a set of events offline, on event time: the events of each community in time
 * order (ties in input order), communities in parallel on {@code threads} threads, the clock
 * run to {@code until} at the end. The same events give the same findings however they are
 * split over threads, because communities share nothing.
 */
public final class Replay {

    /** An event with where it came from, for rejections. */
    public record Input(Event event, int line, int index) {
    }

    /** @param cpuNanos CPU time the engines' threads spent on the communities (not parsing, not GC) */
    public record Result(List<Finding> findings, List<Kpi> kpis, List<Rejection> rejections, long events,
                         Map<String, CommunityEngine> engines, long cpuNanos) {
    }

    /** What reading an event file gave: the events in input order, the rejected lines, the duplicates. */
    public record Parsed(List<Input> inputs, List<Rejection> rejections, int duplicates) {
    }

    /**
     * Reads NDJSON (or a JSON array) with {@code threads} parsers working on chunks of lines at
     * once; the result is in input order, duplicates by id dropped (the first one counts).
     */
    public static Parsed read(java.io.BufferedReader in, int threads) throws java.io.IOException {
        List<Input> inputs = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        if (pm.monitor.event.EventReader.jsonArray(in)) {
            new pm.monitor.event.EventReader().read(in, sink(inputs, rejections, new int[] {0}));
            return dedupe(inputs, rejections);
        }
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            lines.add(line);
        }
        return parseLines(lines, n -> n + 1);
    }

    /**
     * Parses NDJSON lines in chunks on all cores, then drops duplicates; {@code lineOf} gives
     * the input line number of the line at a position. The result is in the lines' order.
     */
    static Parsed parseLines(List<String> lines, java.util.function.IntUnaryOperator lineOf) {
        int chunk = 8192;
        int chunks = (lines.size() + chunk - 1) / chunk;
        List<List<Input>> parts = new ArrayList<>();
        List<List<Rejection>> bad = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            parts.add(new ArrayList<>());
            bad.add(new ArrayList<>());
        }
        // index (position among non-blank lines) is counted after, so chunks need not know it
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(i -> {
            pm.monitor.event.EventReader reader = new pm.monitor.event.EventReader();
            int from = i * chunk;
            int to = Math.min(lines.size(), from + chunk);
            EventSinkAdapter sink = new EventSinkAdapter(parts.get(i), bad.get(i));
            for (int n = from; n < to; n++) {
                String text = lines.get(n);
                if (!text.isBlank()) {
                    int line = lineOf.applyAsInt(n);
                    reader.readLine(text, line, line, sink);
                }
            }
        });
        List<Input> inputs = new ArrayList<>(lines.size());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            inputs.addAll(parts.get(i));
            rejections.addAll(bad.get(i));
        }
        return dedupe(inputs, rejections);
    }

    private static final class EventSinkAdapter implements pm.monitor.event.EventReader.Sink {
        private final List<Input> inputs;
        private final List<Rejection> rejections;

        EventSinkAdapter(List<Input> inputs, List<Rejection> rejections) {
            this.inputs = inputs;
            this.rejections = rejections;
        }

        @Override
        public void accept(Event event, int line, String text) {
            event.id().hashCode(); // computed here, on both cores, while the id is in cache: dedupe needs it
            inputs.add(new Input(event, line, line));
        }

        @Override
        public void reject(Rejection r) {
            rejections.add(r);
        }
    }

    private static pm.monitor.event.EventReader.Sink sink(List<Input> inputs, List<Rejection> rejections, int[] index) {
        return new pm.monitor.event.EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Input(event, line, ++index[0]));
            }

            @Override
            public void reject(Rejection r) {
                index[0]++;
                rejections.add(r);
            }
        };
    }

    /**
     * Drops the events whose id came before in their community: ids are unique per community
     * (the same id in another community is another event). A later event with the same content
     * is a duplicate; one with other content is not taken and reported (field {@code id}), as
     * {@code serve} refuses it. Offline the content is compared as read: two lines that read as
     * the same event (a field left to its default, a time with another offset) are the same.
     */
    private static Parsed dedupe(List<Input> inputs, List<Rejection> rejections) {
        // Ids split over the cores by hash: each core sees every input in order but keeps a map
        // of its share of the ids only, so "the first one counts" holds and the maps (most of the
        // time here, done on one core a twentieth of a replay's wall time) are filled in parallel.
        // An id used in several communities (rare) is kept by community in a second map.
        int parts = inputs.size() < 100_000 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
        Input[] earlier = new Input[inputs.size()]; // the first input with this community and id, if not this
        java.util.stream.IntStream.range(0, parts).parallel().forEach(k -> {
            Map<String, Input> ids = new HashMap<>(inputs.size() * 2 / parts + 16);
            Map<List<String>, Input> others = new HashMap<>();
            int i = 0;
            for (Input in : inputs) {
                String id = in.event().id();
                int h = id.hashCode();
                if (parts == 1 || ((h ^ (h >>> 16)) & 0x7fffffff) % parts == k) {
                    Input first = ids.putIfAbsent(id, in);
                    if (first != null && !first.event().community().equals(in.event().community())) {
                        first = others.putIfAbsent(List.of(in.event().community(), id), in);
                    }
                    earlier[i] = first; // each index is written by one core only
                }
                i++;
            }
        });
        List<Input> unique = new ArrayList<>(inputs.size());
        int duplicates = 0;
        List<Rejection> conflicts = new ArrayList<>();
        int i = 0;
        for (Input in : inputs) {
            Input f = earlier[i++];
            if (f == null) {
                unique.add(in);
            } else if (f.event().equals(in.event())) {
                duplicates++;
            } else {
                conflicts.add(new Rejection(in.line(), in.index(), in.event().id(), "id",
                        "id already used by a different event (line " + f.line() + ", " + f.event().type() + " at "
                                + f.event().at() + "); an event sent again must be sent unchanged, another event "
                                + "needs another id"));
            }
        }
        if (!conflicts.isEmpty()) {
            rejections = new ArrayList<>(rejections);
            rejections.addAll(conflicts);
            rejections.sort(Comparator.comparingInt(Rejection::line));
        }
        return new Parsed(unique, rejections, duplicates);
    }

    private record Grouped(Map<String, List<Input>> byCommunity, Instant last) {
    }

    /** Inputs {@code from} to {@code to} by community, in input order, and their latest time. */
    private static Grouped group(List<Input> inputs, int from, int to) {
        Map<String, List<Input>> hashed = new HashMap<>();
        Instant last = null;
        String lastCode = null;
        List<Input> lastList = null;
        for (Input in : inputs.subList(from, to)) {
            Event e = in.event();
            if (!e.community().equals(lastCode)) { // runs of one community are common
                lastCode = e.community();
                lastList = hashed.computeIfAbsent(lastCode, c -> new ArrayList<>());
            }
            lastList.add(in);
            if (last == null || e.at().isAfter(last)) {
                last = e.at();
            }
        }
        return new Grouped(hashed, last);
    }

    /** Orders findings for output: by time, then community, rule, subject and kind. */
    public static final Comparator<Finding> ORDER = Replay::order;

    // Written out rather than a chain of Comparator.comparing: sorting a replay's findings was a
    // tenth of its serial time.
    private static int order(Finding a, Finding b) {
        int c = a.at().compareTo(b.at());
        if (c != 0) {
            return c;
        }
        c = a.community().compareTo(b.community());
        if (c != 0) {
            return c;
        }
        c = a.rule().compareTo(b.rule());
        if (c != 0) {
            return c;
        }
        c = a.subject().compareTo(b.subject());
        return c != 0 ? c : a.kind().compareTo(b.kind());
    }

    private final RuleSet rules;
    private final int threads;
    private volatile java.util.function.BooleanSupplier cancelled = () -> false;

    /** A long run checks this now and then and stops with a {@link java.util.concurrent.CancellationException}. */
    public Replay cancelWhen(java.util.function.BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        return this;
    }

    public Replay(RuleSet rules, int threads) {
        this.rules = rules;
        this.threads = Math.max(1, threads);
    }

    /** Whether the engines keep the KPIs' recoveries (drained from {@link Result#engines} afterwards). */
    private boolean recoveries;

    /** Keeps each KPI's recoveries in its community's engine, for a tool that resolves alerts (AlertVolume). */
    public Replay recordingRecoveries() {
        this.recoveries = true;
        return this;
    }

    /**
     * @param inputs  events in input order (duplicates by id already dropped)
     * @param until   where the clock runs to after the last event; null for the last event's time
     * @param progress called with the count of events done, now and then (may be null)
     */
    public Result run(List<Input> inputs, Instant until, java.util.function.LongConsumer progress) {
        return run(inputs, until, progress, false);
    }

    /**
     * As {@link #run(List, Instant, java.util.function.LongConsumer)}; with {@code consume} the
     * list is emptied once split by community, and each community's events are let go when it is
     * done, so a large replay does not keep every parsed event alive to its end (the collector
     * traced them all again and again: a fifth of a 3-million-event replay's time).
     */
    public Result run(List<Input> inputs, Instant until, java.util.function.LongConsumer progress, boolean consume) {
        // Grouped by community in parts on all threads, then joined part by part so each
        // community keeps input order; hashed, then put in code order (a tree map compared codes
        // for every event). Grouping reads every event from memory, and done on one thread it was
        // a tenth of a replay's wall time.
        int parts = inputs.size() < 100_000 ? 1 : threads;
        List<Grouped> grouped = java.util.stream.IntStream.range(0, parts).parallel()
                .mapToObj(i -> group(inputs, (int) ((long) inputs.size() * i / parts),
                        (int) ((long) inputs.size() * (i + 1) / parts)))
                .toList();
        Map<String, List<Input>> hashed = grouped.get(0).byCommunity();
        Instant last = grouped.get(0).last();
        for (Grouped g : grouped.subList(1, grouped.size())) {
            for (Map.Entry<String, List<Input>> e : g.byCommunity().entrySet()) {
                List<Input> into = hashed.get(e.getKey());
                if (into == null) {
                    hashed.put(e.getKey(), e.getValue());
                } else {
                    into.addAll(e.getValue());
                }
            }
            if (last == null || (g.last() != null && g.last().isAfter(last))) {
                last = g.last();
            }
        }
        Map<String, List<Input>> byCommunity = new TreeMap<>(hashed);
        long count = inputs.size();
        if (consume) {
            inputs.clear();
        }
        Instant end = until != null ? until : last;
        AtomicLong done = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, CommunityEngine> engines = new TreeMap<>();
        Map<String, List<Finding>> found = new HashMap<>();
        Map<String, List<Rejection>> rejected = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replay");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            Map<String, Object[]> results = new java.util.concurrent.ConcurrentHashMap<>();
            for (Map.Entry<String, List<Input>> e : byCommunity.entrySet()) {
                futures.add(pool.submit(() -> {
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    List<Finding> fs = new ArrayList<>();
                    List<Rejection> rs = new ArrayList<>();
                    CommunityEngine engine = runCommunity(e.getKey(), e.getValue(), end, fs, rs, done, progress);
                    if (consume) {
                        e.getValue().clear(); // this community's events are done with
                    }
                    results.put(e.getKey(), new Object[] {engine, fs, rs});
                    cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            for (Map.Entry<String, Object[]> r : results.entrySet()) {
                engines.put(r.getKey(), (CommunityEngine) r.getValue()[0]);
                @SuppressWarnings("unchecked") List<Finding> fs = (List<Finding>) r.getValue()[1];
                @SuppressWarnings("unchecked") List<Rejection> rs = (List<Rejection>) r.getValue()[2];
                found.put(r.getKey(), fs);
                rejected.put(r.getKey(), rs);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        int total = 0;
        for (List<Finding> fs : found.values()) {
            total += fs.size();
        }
        Finding[] all = new Finding[total];
        int k = 0;
        for (List<Finding> fs : found.values()) {
            for (Finding f : fs) {
                all[k++] = f;
            }
        }
        java.util.Arrays.parallelSort(all, ORDER); // both cores; a stable sort, as List.sort was
        List<Finding> findings = new ArrayList<>(java.util.Arrays.asList(all));
        List<Rejection> rejections = new ArrayList<>();
        rejected.values().forEach(rejections::addAll);
        rejections.sort(Comparator.comparingInt(Rejection::line));
        return new Result(findings, kpis(engines.values(), rules), rejections, count, engines, cpu.get());
    }

    private CommunityEngine runCommunity(String community, List<Input> events, Instant end, List<Finding> findings,
                                         List<Rejection> rejections, AtomicLong done,
                                         java.util.function.LongConsumer progress) {
        events.sort(Comparator.comparing((Input i) -> i.event().at()));
        // An untouched ticket that left memory comes back from this community's input (issue 17.16).
        CommunityEngine engine = new CommunityEngine(community, rules, findings::add).keepingUntouchedIn((c, ticket) -> {
            List<pm.monitor.event.Event> past = new ArrayList<>();
            for (Input in : events) {
                pm.monitor.event.Event x = in.event();
                String of = x instanceof pm.monitor.event.Events.TicketReceived r ? r.ticket()
                        : x instanceof pm.monitor.event.Event.OfTicket o ? o.ticket() : null;
                if (ticket.equals(of)) {
                    past.add(x);
                }
            }
            return past;
        });
        if (recoveries) {
            engine.kpis().recordRecoveries();
        }
        int n = 0;
        for (Input in : events) {
            try {
                engine.accept(in.event());
            } catch (EventException x) {
                rejections.add(new Rejection(in.line(), in.index(), in.event().id(), x.field(), x.reason()));
            }
            if (++n == 4096) {
                if (cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("cancelled");
                }
                long total = done.addAndGet(n);
                n = 0;
                if (progress != null) {
                    progress.accept(total);
                }
            }
        }
        done.addAndGet(n);
        if (end != null) {
            engine.finish(end);
        }
        engine.dispose();
        return engine;
    }

    /** Each community's KPIs, then the company's ({@code *}): the sums of all communities' counts. */
    public static List<Kpi> kpis(Iterable<CommunityEngine> engines, RuleSet rules) {
        List<Kpi> out = new ArrayList<>();
        Map<Long, long[]> company = new HashMap<>();
        for (CommunityEngine e : engines) {
            out.addAll(e.kpis().snapshot());
            for (Map.Entry<Long, long[]> c : e.kpis().counters().entrySet()) {
                long[] sum = company.computeIfAbsent(c.getKey(), k -> new long[2]);
                sum[0] += c.getValue()[0];
                sum[1] += c.getValue()[1];
            }
        }
        out.addAll(KpiTracker.snapshot("*", company, rules.parameters().forCommunity("*")));
        return out;
    }
}
