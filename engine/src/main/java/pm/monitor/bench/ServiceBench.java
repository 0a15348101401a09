package pm.monitor.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import pm.monitor.app.Application;
import pm.monitor.app.Config;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.Database;
import pm.monitor.store.EventStore;
import pm.monitor.store.Migrations;

/**
 * The parts of the benchmark that need the real service: HTTP ingest into PostgreSQL with
 * durable acknowledgements, latency from POST to the finding on the live stream, heap per open
 * ticket, rebuild time from stored events, and the lag from a wall-clock deadline to its
 * finding. Every figure is measured on the running code, never estimated.
 */
public final class ServiceBench {
    private static final int COMMUNITIES = 200;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final PrintStream out;
    private final String dbUrl;
    private final Path rulesDir;
    private final Path home;

    public ServiceBench(PrintStream out, String dbUrl, Path rulesDir, Path home) {
        this.out = out;
        this.dbUrl = dbUrl;
        this.rulesDir = rulesDir;
        this.home = home;
    }

    private Application start(String db, Path rules, String clock) {
        Config config = new Config(0, db, null, null, home.resolve("var-bench"), 0, rules, home.resolve("db"),
                home.resolve("dashboard"), clock, Runtime.getRuntime().availableProcessors(), 64 << 20, 100, false)
                // the bench measures capacity: no request rate limit
                .withAccess("auto", 0, Config.DEFAULT_BURST, Config.DEFAULT_MAX_LINE);
        return new Application(config, Clock.systemUTC()).start();
    }

    /** A fresh, empty schema on the configured server, or a fresh embedded database. */
    private String freshDatabase() throws Exception {
        if (dbUrl == null) {
            return null; // Application starts the embedded one in var-bench (deleted first)
        }
        return freshSchema(dbUrl);
    }

    /** A fresh, empty schema on this server: the URL that uses it. */
    static String freshSchema(String dbUrl) throws java.sql.SQLException {
        String schema = "bench_" + Long.toHexString(System.nanoTime());
        try (var c = java.sql.DriverManager.getConnection(dbUrl); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private void cleanEmbedded() throws Exception {
        delete(home.resolve("var-bench"));
    }

    // ---- HTTP ingest ------------------------------------------------------------------------------

    /**
     * Posts batches from {@code clients} threads for {@code seconds}: calls stamped with the wall
     * clock, one in ten answered on the fifth ring (a violation the event triggers at once). The
     * acknowledged events per second, and the latency from the POST of such a call to its finding
     * on the live stream. {@code shared}: every client posts to every community (their batches
     * overtake one another, and the late ones are applied by rebuilding their communities).
     * {@code rate} > 0: the clients together post no more than that many events/s (the latency
     * below saturation; unpaced, each client always has a POST in flight, and the latency is
     * mostly the wait behind the others' events: in flight / throughput). The first
     * {@code warmup} seconds (code still being compiled) count in neither figure.
     */
    public void ingest(int seconds, int warmup, int clients, int batch, boolean shared, int rate) throws Exception {
        cleanEmbedded();
        try (Application app = start(freshDatabase(), rulesDir, "wall")) {
            String base = "http://localhost:" + app.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        int i = line.indexOf("\"subject\":\"");
                        if (line.startsWith("data: ") && line.contains("\"call.three-rings\"") && i > 0) {
                            String subject = line.substring(i + 11, line.indexOf('"', i + 11));
                            Long t = sentAt.remove(subject);
                            if (t != null && t >= measureFrom.get()) {
                                latencies.add(System.nanoTime() - t);
                            }
                        }
                    }
                } catch (Exception ignored) {
                    // the stream closes with the service
                }
            }, "bench-stream");
            reader.setDaemon(true);
            reader.start();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong accepted = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong seq = new AtomicLong();
            AtomicLong lateEvents = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                // Each client is the source of its own communities (as a property's systems post
                // its events in order): with the communities shared, the POSTs of different clients
                // overtake one another and nearly every batch lands behind its communities' clocks,
                // so the figure would be that of the late-event rebuilds, not of ingest.
                int own = Math.max(1, (COMMUNITIES - client + clients - 1) / clients);
                Thread t = new Thread(() -> {
                    long mine = 0;
                    // paced clients start a share of the period apart, as independent senders
                    // would, rather than all posting in the same instant
                    long start = System.nanoTime() + (rate > 0 ? (long) (client * (double) batch / rate * 1e9) : 0);
                    for (long posts = 0; !stop.get(); posts++) {
                        if (rate > 0) {
                            long due = start + (long) (posts * (double) batch * clients / rate * 1e9);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                try {
                                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        }
                        StringBuilder body = new StringBuilder(batch * 160);
                        List<String> marked = new ArrayList<>();
                        String at = ISO.format(Instant.now().atZone(ZONE));
                        for (int k = 0; k < batch; k++) {
                            long n = seq.incrementAndGet();
                            boolean late = n % 10 == 0;
                            String call = "K" + n;
                            if (late) {
                                marked.add(call);
                            }
                            long community = shared ? n % COMMUNITIES : client + (long) clients * (mine++ % own);
                            body.append("{\"id\":\"b").append(n).append("\",\"type\":\"call.answered\",\"at\":\"").append(at)
                                    .append("\",\"community\":\"C").append(String.format("%03d", community)).append("\",\"call\":\"")
                                    .append(call).append("\",\"line\":\"400\",\"rings\":").append(late ? 5 : 2).append("}\n");
                        }
                        long sent = System.nanoTime();
                        marked.forEach(m -> sentAt.put(m, sent));
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                int i = r.body().indexOf("\"accepted\":");
                                accepted.addAndGet(Long.parseLong(r.body().substring(i + 11, r.body().indexOf(',', i))));
                                for (int j = r.body().indexOf("\"lateBy\""); j >= 0; j = r.body().indexOf("\"lateBy\"", j + 1)) {
                                    lateEvents.incrementAndGet();
                                }
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, "bench-client-" + client);
                threads.add(t);
                t.start();
            }
            Thread.sleep(warmup * 1000L);
            long counted = accepted.get();
            t0 = System.nanoTime();
            measureFrom.set(t0);
            long[] perSecond = new long[seconds];
            long last = counted;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                long now = accepted.get();
                perSecond[s] = now - last;
                last = now;
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000);
            long stored = app.database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS);
            List<Long> lat = new ArrayList<>(latencies);
            Collections.sort(lat);
            java.util.Arrays.sort(perSecond);
            long measured = accepted.get() - counted;
            out.printf("HTTP ingest: %d clients, %d events per POST, %d s after a %d s warm-up: %,d events acknowledged (%,.0f events/s; "
                            + "slowest second %,d, median second %,d), %d failed requests; %,d events in PostgreSQL; "
                            + "communities %s%s; %,d events came late%n",
                    clients, batch, seconds, warmup, measured, measured / elapsed, perSecond[0],
                    perSecond[seconds / 2], errors.get(), stored, shared ? "shared by the clients" : "one client each",
                    rate > 0 ? String.format("; paced at %,d events/s", rate) : "",
                    lateEvents.get());
            if (!lat.isEmpty()) {
                out.printf("POST -> finding on the live stream (%d findings an event triggers at once): p50 %.1f ms, "
                                + "p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", lat.size(), pct(lat, 50), pct(lat, 90),
                        pct(lat, 99), lat.get(lat.size() - 1) / 1e6);
            }
            stream.body().close();
        }
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    // ---- soak -------------------------------------------------------------------------------------

    /**
     * A steady stream for {@code minutes}: generated days of tickets, calls and patrols (an
     * unbounded rolling stream, written day by day) posted at {@code rate} events/s from one
     * client in event-time order, into a service whose clock follows the events, so deadlines
     * fall due and tickets close as they would in production. Every 30 s the used heap after a
     * full GC is sampled; a leak shows as a positive slope of those samples.
     */
    public void soak(int minutes, int rate, int communities, int batch) throws Exception {
        cleanEmbedded();
        try (Application app = start(freshDatabase(), rulesDir, "events")) {
            String base = "http://localhost:" + app.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // bounded: the generator waits for the sender, so the queue does not weigh on the heap
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.ArrayBlockingQueue<>(4 * batch);
            Thread generator = new Thread(() -> {
                try {
                    // 2024-01-08 on: the cn calendar covers 2024 to 2026, years of events at any rate tried here
                    new Generator(communities, 3 * 365, LocalDate.of(2024, 1, 8), 11, 40, 8).everyTicketCloses()
                            .write(new LineQueue(lines));
                } catch (RuntimeException stopped) {
                    // interrupted when the soak ends
                }
            }, "soak-generator");
            generator.setDaemon(true);
            generator.start();
            long sent = 0;
            long accepted = 0;
            long duplicates = 0;
            long rejected = 0;
            long errors = 0;
            String firstRejection = null;
            List<double[]> samples = new ArrayList<>();
            long t0 = System.nanoTime();
            long end = t0 + minutes * 60_000_000_000L;
            long nextSample = t0;
            String lastAt = "";
            StringBuilder body = new StringBuilder(batch * 300);
            // where the sender's time goes: waiting for generated lines, in POSTs, pacing
            long waitedForLines = 0;
            long inPosts = 0;
            long paced = 0;
            long posts = 0;
            for (long k = 0; System.nanoTime() < end; k++) {
                if (System.nanoTime() >= nextSample) {
                    double mb = usedAfterGc() / 1048576.0;
                    double min = (System.nanoTime() - t0) / 60e9;
                    samples.add(new double[] {min, mb});
                    out.printf("soak %5.1f min: heap after GC %,.0f MB; %,d events sent, %,d acknowledged, %,d rejected, "
                            + "%d failed requests; event clock %s%n", min, mb, sent, accepted + duplicates, rejected, errors, lastAt);
                    nextSample += 30_000_000_000L;
                }
                body.setLength(0);
                long filling = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    String line = lines.poll();
                    if (line == null) {
                        long w = System.nanoTime();
                        line = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                        waitedForLines += System.nanoTime() - w;
                    }
                    if (line == null) {
                        break;
                    }
                    body.append(line).append('\n');
                    if (i == batch - 1) {
                        int a = line.indexOf("\"at\":\"");
                        lastAt = a < 0 ? lastAt : line.substring(a + 6, line.indexOf('"', a + 6));
                    }
                    sent++;
                }
                long posting = System.nanoTime();
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    inPosts += System.nanoTime() - posting;
                    posts++;
                    if (r.statusCode() == 200 || r.statusCode() == 400) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) pm.monitor.finding.Json.parse(r.body());
                        accepted += ((Number) m.get("accepted")).longValue();
                        duplicates += ((Number) m.get("duplicates")).longValue();
                        List<?> bad = (List<?>) m.get("rejected");
                        rejected += bad.size();
                        if (firstRejection == null && !bad.isEmpty()) {
                            firstRejection = String.valueOf(bad.get(0));
                        }
                    } else {
                        errors++;
                    }
                } catch (Exception e) {
                    errors++;
                }
                // pace: batch k+1 leaves no earlier than (k+1)·batch/rate seconds after the start
                long due = t0 + (long) ((k + 1) * (double) batch / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    paced += wait;
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double mb = usedAfterGc() / 1048576.0;
            samples.add(new double[] {elapsed / 60, mb});
            generator.interrupt();
            // the trend leaves out the first minute (classes, caches and the engines' sessions warm up)
            List<double[]> trend = samples.stream().filter(x -> x[0] >= 1).toList();
            out.printf("%nsoak: %d min target at %,d events/s (%d communities, %d events per POST): %,.1f min run, %,d events sent "
                            + "(%,.0f events/s), %,d acknowledged (%,d accepted, %,d duplicates), %,d rejected, %d failed requests%n",
                    minutes, rate, communities, batch, elapsed / 60, sent, sent / elapsed, accepted + duplicates, accepted,
                    duplicates, rejected, errors);
            if (firstRejection != null) {
                out.println("first rejection: " + firstRejection);
            }
            out.printf("event clock reached %s%n", lastAt);
            out.printf("sender's time: %.0f s in POSTs (%.0f ms per POST of %d events), %.0f s waiting for generated lines, "
                            + "%.0f s pacing to the target rate%n", inPosts / 1e9, posts > 0 ? inPosts / 1e6 / posts : 0.0, batch,
                    waitedForLines / 1e9, paced / 1e9);
            out.printf("heap after GC: %,.0f MB at the start, %,.0f MB after 1 min, %,.0f MB at the end; trend %+.2f MB/min "
                            + "(least squares over %d samples from minute 1)%n", samples.get(0)[1],
                    trend.isEmpty() ? Double.NaN : trend.get(0)[1], mb, slope(trend), trend.size());
            // State legitimately grows until the event clock has passed the retention periods
            // (closed tickets 62 days, KPI days 62: README "Retention"); the second half shows
            // whether it is flat once there.
            List<double[]> late = samples.stream().filter(x -> x[0] >= elapsed / 120).toList();
            out.printf("heap after GC, second half (from minute %.1f): %,.0f MB -> %,.0f MB; trend %+.2f MB/min over %d samples%n",
                    elapsed / 120, late.isEmpty() ? Double.NaN : late.get(0)[1], mb, slope(late), late.size());
        }
    }

    /** Least-squares slope of y over x. */
    static double slope(List<double[]> xy) {
        if (xy.size() < 2) {
            return Double.NaN;
        }
        double n = xy.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : xy) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /** A Writer that hands each complete line to a bounded queue, waiting while it is full. */
    private static final class LineQueue extends java.io.Writer {
        private final java.util.concurrent.BlockingQueue<String> lines;
        private final StringBuilder line = new StringBuilder();

        LineQueue(java.util.concurrent.BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public void write(char[] buf, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                try {
                    lines.put(line.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("soak over");
                }
                line.setLength(0);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    // ---- heap per open ticket -----------------------------------------------------------------

    /** Heap held by {@code tickets} open tickets (received, nothing else yet) over 1,000 communities. */
    public void heap(RuleSet rules, int tickets) throws Exception {
        List<CommunityEngine> engines = new ArrayList<>();
        for (int c = 0; c < 1000; c++) {
            engines.add(new CommunityEngine(String.format("H%04d", c), rules, f -> { }));
        }
        long before = usedAfterGc();
        Instant start = Instant.parse("2026-03-02T01:00:00Z");
        EventReader reader = new EventReader();
        String[] kinds = {
            "\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"environment\",\"household\":\"%d-1-%d\"",
            "\"kind\":\"complaint\",\"channel\":\"written\",\"category\":\"service\",\"household\":\"%d-2-%d\"",
            "\"kind\":\"repair\",\"channel\":\"phone\",\"urgency\":\"normal\",\"household\":\"%d-3-%d\"",
            "\"kind\":\"inquiry\",\"channel\":\"app\",\"household\":\"%d-4-%d\""};
        for (int i = 0; i < tickets; i++) {
            int c = i % 1000;
            Instant at = start.plusSeconds(i / 1000);
            String line = "{\"id\":\"h" + i + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\""
                    + String.format("H%04d", c) + "\",\"ticket\":\"T" + i + "\"," + String.format(kinds[i % 4], i % 30, i % 997)
                    + ",\"receivedBy\":\"a1\",\"summary\":\"业主反映问题\"}";
            reader.readLine(line, i + 1, i + 1, new EventReader.Sink() {
                @Override
                public void accept(Event event, int l, String text) {
                    engines.get(c).accept(event);
                }

                @Override
                public void reject(Rejection r) {
                    throw new IllegalStateException(r.toString());
                }
            });
        }
        long after = usedAfterGc();
        out.printf("heap per open ticket at %,d open tickets (1,000 communities, received and not yet handled): "
                + "%,d bytes (%,d MB for all)%n", tickets, (after - before) / tickets, (after - before) >> 20);
        engines.forEach(CommunityEngine::dispose);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- rebuild ---------------------------------------------------------------------------------

    /** Stores {@code events} generated events, then times a start that rebuilds its state from them. */
    public void rebuild(int communities, int days) throws Exception {
        cleanEmbedded();
        String db = freshDatabase();
        StringWriter w = new StringWriter();
        long n = new Generator(communities, days, LocalDate.of(2026, 3, 2), 5, 40, 8).write(w);
        List<Replay.Input> inputs = Replay.read(new BufferedReader(new java.io.StringReader(w.toString())), 2).inputs();
        String[] lines = w.toString().split("\n");
        w = null;
        // store them as serve would have, in one go
        try (Application app = start(db, rulesDir, "events")) {
            EventStore store = new EventStore(app.database().dsl());
            List<EventStore.Stored> chunk = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                chunk.add(new EventStore.Stored(inputs.get(i).event(), lines[i]));
                if (chunk.size() == 20_000) {
                    store.insert(chunk);
                    chunk.clear();
                }
            }
            store.insert(chunk);
        }
        inputs = null;
        lines = null;
        // First start: events only (as after an import), so the rebuild stores every finding it
        // makes. Second start: a restart, the findings stored before are skipped.
        // the restart runs on a copy of the rules folder, so that a reload of a changed limit can be
        // timed with every community's state in memory (issue 18: a reload with 1,000,000 events)
        Path copy = copyOfRules("bench-reload-rules");
        for (String what : List.of("first start, no findings stored yet", "restart, findings stored")) {
            System.gc();
            long t0 = System.nanoTime();
            boolean restart = what.startsWith("restart");
            try (Application app = start(db, restart ? copy : rulesDir, "events")) {
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf("start-up (%s) with %,d stored events (%d communities × %d days): %.1f s to serve, state rebuilt (%,.0f events/s)%n",
                        what, n, communities, days, s, n / s);
                if (restart) {
                    Path conf = copy.resolve("parameters.conf");
                    Files.writeString(conf, Files.readString(conf).replace("complaint.contact-2h.limit : limit = 2h",
                            "complaint.contact-2h.limit : limit = 90min"));
                    long r0 = System.nanoTime();
                    pm.monitor.app.RulesService.Outcome o = app.rules().reload("bench", "reload");
                    out.printf("reload of a changed limit (complaint.contact-2h 2h -> 90min) with those events: %s %s in %.1f s"
                            + " (check and every community rebuilt under the new rules)%n", o.status(), o.version(),
                            (System.nanoTime() - r0) / 1e9);
                }
            }
        }
        delete(copy);
    }

    /** Deletes a folder and what it holds (nothing when it is not there). */
    static void delete(Path folder) throws java.io.IOException {
        if (Files.exists(folder)) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A copy of the rules folder in a new temporary folder, to change a limit in. */
    private Path copyOfRules(String prefix) throws java.io.IOException {
        return copyOfRules(rulesDir, prefix);
    }

    /** A copy of {@code rulesDir} in a new temporary folder, to change a limit in. */
    static Path copyOfRules(Path rulesDir, String prefix) throws java.io.IOException {
        Path copy = Files.createTempDirectory(prefix);
        try (var files = Files.walk(rulesDir)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(rulesDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    // ---- deadline lag -----------------------------------------------------------------------------

    /** Complaints received now with a 3 s contact limit: the lag from each deadline to its violation on the stream. */
    public void deadlines(int count) throws Exception {
        cleanEmbedded();
        Path rules = copyOfRules("bench-rules");
        Path conf = rules.resolve("parameters.conf");
        Files.writeString(conf, Files.readString(conf).replace("complaint.contact-2h.limit : limit = 2h", "complaint.contact-2h.limit : limit = 3s"));
        try (Application app = start(freshDatabase(), rules, "wall")) {
            String base = "http://localhost:" + app.port();
            HttpClient http = HttpClient.newHttpClient();
            Map<String, Instant> due = new ConcurrentHashMap<>();
            List<Long> lags = Collections.synchronizedList(new ArrayList<>());
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.contains("\"complaint.contact-2h\"") && line.contains("\"violation\"")) {
                            Instant seen = Instant.now();
                            int i = line.indexOf("\"subject\":\"");
                            String subject = line.substring(i + 11, line.indexOf('"', i + 11));
                            Instant d = due.remove(subject);
                            if (d != null) {
                                lags.add(Duration.between(d, seen).toMillis());
                            }
                        }
                    }
                } catch (Exception ignored) {
                    // closes with the service
                }
            });
            reader.setDaemon(true);
            reader.start();
            for (int i = 0; i < count; i++) {
                Instant received = Instant.ofEpochSecond(Instant.now().getEpochSecond());
                due.put("D" + i, received.plusSeconds(3));
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/events")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"d" + i + "\",\"type\":\"ticket.received\",\"at\":\"" + ISO.format(received.atZone(ZONE))
                                + "\",\"community\":\"C" + (i % 10) + "\",\"ticket\":\"D" + i + "\",\"kind\":\"complaint\","
                                + "\"channel\":\"app\",\"category\":\"service\",\"receivedBy\":\"a1\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                Thread.sleep(137);
            }
            long end = System.currentTimeMillis() + 10_000;
            while (!due.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            List<Long> l = new ArrayList<>(lags);
            Collections.sort(l);
            if (l.isEmpty()) {
                out.println("deadline lag: no violation seen");
            } else {
                out.printf("wall-clock deadline -> its finding on the live stream (%d deadlines, %d missing): "
                                + "median %d ms, p99 %d ms, max %d ms%n", l.size(), due.size(), l.get(l.size() / 2),
                        l.get(Math.min(l.size() - 1, (int) Math.ceil(0.99 * l.size()) - 1)), l.get(l.size() - 1));
            }
            stream.body().close();
        }
    }
}
