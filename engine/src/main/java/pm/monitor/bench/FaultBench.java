package pm.monitor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.rules.RuleSet;

/**
 * The fault run of issue 17, repeatable ({@code benchmark --sections faults}): {@code serve} in
 * a child JVM, clients posting batches at once (each its own communities, in order), the child
 * killed with SIGKILL during the run and started again on the same database, then what the
 * database holds set against what was acknowledged and against an offline replay of the same
 * events. Run twice: the clean stream, and the same stream with one malformed event and one
 * dated ten months ahead mixed in — both must be refused with their reasons, nothing else lost,
 * no finding beyond the replay's.
 */
public final class FaultBench {
    private static final Pattern SERVING = Pattern.compile("serving on http://localhost:(\\d+)/");

    private final PrintStream out;
    private final String dbUrl;
    private final Path rulesDir;
    private final RuleSet rules;
    private final Path logs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FaultBench(PrintStream out, String dbUrl, Path rulesDir, RuleSet rules, Path logs) {
        this.out = out;
        this.dbUrl = dbUrl;
        this.rulesDir = rulesDir;
        this.rules = rules;
        this.logs = logs;
    }

    /** The clean run, then the run with one bad and one future-dated event. */
    public boolean run(int communities, int days, int ticketsPerDay, int clients, int batch, int kills) throws Exception {
        if (dbUrl == null) {
            out.println("faults: needs --db URL (a PostgreSQL server this process can read to count what was stored)");
            return false;
        }
        Files.createDirectories(logs);
        StringWriter generated = new StringWriter();
        new Generator(communities, days, LocalDate.of(2026, 3, 2), 17, ticketsPerDay, 4).write(generated);
        List<String> lines = List.of(generated.toString().split("\n"));
        out.printf("%nfaults: %,d events of %d communities over %d days, %d clients × batches of %d, %d kill -9%n",
                lines.size(), communities, days, clients, batch, kills);
        boolean clean = round("clean stream", lines, List.of(), clients, batch, kills);
        String last = (String) ((Map<?, ?>) Json.parse(lines.get(lines.size() - 1))).get("at");
        String first = (String) ((Map<?, ?>) Json.parse(lines.get(0))).get("at");
        String community = (String) ((Map<?, ?>) Json.parse(lines.get(0))).get("community");
        // one event the contract refuses (a receipt with no ticket and an unstorable number) and one dated ten months ahead
        List<String> bad = List.of(
                "{\"id\":\"fault-bad\",\"type\":\"ticket.received\",\"at\":\"" + first + "\",\"community\":\"" + community
                        + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"x\":1e131072}",
                "{\"id\":\"fault-future\",\"type\":\"ticket.received\",\"at\":\""
                        + OffsetDateTime.parse(last).plusMonths(10) + "\",\"community\":\"" + community
                        + "\",\"ticket\":\"FUTURE-1\",\"kind\":\"inquiry\",\"channel\":\"phone\",\"receivedBy\":\"a1\"}");
        boolean mixed = round("with one bad and one future-dated event", lines, bad, clients, batch, kills);
        out.printf("faults: %s%n", clean && mixed ? "nothing lost, nothing false" : "FAILED (see above)");
        return clean && mixed;
    }

    private boolean round(String name, List<String> lines, List<String> extra, int clients, int batch, int kills)
            throws Exception {
        // each client its own communities, in event order; the extra lines go to the first, mid-stream
        List<List<String>> parts = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            parts.add(new ArrayList<>());
        }
        List<Map<?, ?>> parsed = new ArrayList<>();
        for (String l : lines) {
            Map<?, ?> m = (Map<?, ?>) Json.parse(l);
            parsed.add(m);
            parts.get(Math.floorMod(m.get("community").hashCode(), clients)).add(l);
        }
        String community = (String) parsed.get(0).get("community");
        List<String> home = parts.get(Math.floorMod(community.hashCode(), clients));
        for (int i = 0; i < extra.size(); i++) {
            home.add(home.size() / 2 + i, extra.get(i));
        }
        List<List<String>> batches = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<String> p = parts.get(c);
            for (int i = 0; i < p.size(); i += batch) {
                batches.add(p.subList(i, Math.min(p.size(), i + batch)));
                owner.add(c);
            }
        }
        String db = freshSchema();
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger posted = new AtomicInteger();
        Child[] child = {Child.start(db, rulesDir, logs.resolve("faults-0.log"))};
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int me = c;
            Thread t = new Thread(() -> {
                for (int b = 0; b < batches.size(); b++) {
                    if (owner.get(b) != me) {
                        continue;
                    }
                    post(child, batches.get(b), acknowledged, refused);
                    posted.incrementAndGet();
                }
            }, "fault-client-" + c);
            t.start();
            threads.add(t);
        }
        int restarts = 0;
        for (int k = 1; k <= kills; k++) {
            int at = batches.size() * k / (kills + 1);
            while (posted.get() < at && threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(5);
            }
            if (posted.get() >= batches.size()) {
                break;
            }
            child[0].kill();
            out.printf("  kill -9 after %d of %d batches acknowledged%n", posted.get(), batches.size());
            child[0] = Child.start(db, rulesDir, logs.resolve("faults-" + k + ".log"));
            restarts++;
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String until = null;
        for (Map<?, ?> m : parsed) {
            String a = (String) m.get("at");
            if (until == null || OffsetDateTime.parse(a).isAfter(OffsetDateTime.parse(until))) {
                until = a;
            }
        }
        HttpResponse<String> clock = send(child[0].base, "/api/clock", "{\"until\":\"" + until + "\"}");
        if (clock.statusCode() != 200) {
            out.println("  POST /api/clock: " + clock.statusCode() + " " + clock.body());
        }

        // what an offline replay of the same good events finds
        List<Replay.Input> inputs = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(String.join("\n", lines))), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Replay.Input(event, line, line));
            }

            @Override
            public void reject(Rejection r) {
                throw new IllegalStateException("the generator wrote an event the contract rejects: " + r);
            }
        });
        TreeSet<String> replayed = new TreeSet<>();
        for (Finding f : new Replay(rules, 2).run(inputs, null, null).findings()) {
            replayed.add(f.id());
        }
        // the findings are written behind the engines: wait until they stop changing
        TreeSet<String> live = findings(db);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int still = 0;
        while (System.nanoTime() < end && still < 5 && !live.equals(replayed)) {
            Thread.sleep(500);
            TreeSet<String> now = findings(db);
            still = now.equals(live) ? still + 1 : 0;
            live = now;
        }
        child[0].stop();

        Set<String> streamIds = new HashSet<>();
        parsed.forEach(m -> streamIds.add((String) m.get("id")));
        long[] rows = {0};
        Set<String> stored = new HashSet<>();
        query(db, "SELECT id FROM events", rs -> {
            rows[0]++;
            stored.add(rs.getString(1));
        });
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(stored);
        Set<String> foreign = new TreeSet<>(stored);
        foreign.removeAll(streamIds);
        Set<String> missing = new TreeSet<>(replayed);
        missing.removeAll(live);
        Set<String> falseOnes = new TreeSet<>(live);
        falseOnes.removeAll(replayed);
        out.printf("%n  %s: %d batches in %.1f s, %d restart(s)%n", name, batches.size(), seconds, restarts);
        out.printf("  events:   %,d sent, %,d acknowledged, %,d stored (%,d rows), %d acknowledged but not stored, %d stored not sent%n",
                streamIds.size() + extra.size(), acknowledged.size(), stored.size(), rows[0], lost.size(), foreign.size());
        out.printf("  refused:  %d%s%n", refused.size(), refused.isEmpty() ? "" : " — " + String.join("; ", refused));
        out.printf("  findings: %,d stored, %,d by offline replay; %d missing, %d not in the replay%s%n", live.size(),
                replayed.size(), missing.size(), falseOnes.size(),
                missing.isEmpty() && falseOnes.isEmpty() ? "" : " e.g. " + sample(missing) + " " + sample(falseOnes));
        boolean ok = lost.isEmpty() && foreign.isEmpty() && rows[0] == stored.size() && stored.equals(streamIds)
                && missing.isEmpty() && falseOnes.isEmpty() && refused.size() == extra.size();
        out.printf("  %s%n", ok ? "ok" : "FAILED");
        return ok;
    }

    private static String sample(Set<String> s) {
        return s.stream().limit(3).toList().toString();
    }

    /** Posts one batch until the service answers it (across kills and restarts); records the outcome. */
    private void post(Child[] child, List<String> batch, Set<String> acknowledged, List<String> refused) {
        String body = String.join("\n", batch) + "\n";
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < end) {
            HttpResponse<String> r;
            try {
                r = send(child[0].base, "/api/events", body);
            } catch (IOException | InterruptedException e) {
                sleep(100); // killed: the batch is not acknowledged; sent again to the restarted service
                continue;
            }
            if (r.statusCode() == 503 || r.statusCode() == 429) {
                sleep(1000L * r.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (r.statusCode() != 200) {
                refused.add("HTTP " + r.statusCode() + ": " + r.body());
                return;
            }
            Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
            Set<String> rejected = new HashSet<>();
            for (Object o : (List<?>) m.get("rejected")) {
                Map<?, ?> x = (Map<?, ?>) o;
                rejected.add(String.valueOf(x.get("id")));
                refused.add(x.get("id") + " (line " + x.get("line") + ", " + x.get("field") + "): " + x.get("reason"));
            }
            for (String line : batch) {
                String id = idOf(line);
                if (id != null && !rejected.contains(id)) {
                    acknowledged.add(id);
                }
            }
            return;
        }
        refused.add("a batch was not answered within 3 minutes");
    }

    private static String idOf(String line) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    private HttpResponse<String> send(String base, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String freshSchema() throws Exception {
        String schema = "faults_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static TreeSet<String> findings(String db) throws Exception {
        TreeSet<String> ids = new TreeSet<>();
        query(db, "SELECT id FROM findings WHERE withdrawn_at IS NULL", rs -> ids.add(rs.getString(1)));
        return ids;
    }

    private interface Row {
        void accept(ResultSet rs) throws java.sql.SQLException;
    }

    private static void query(String db, String sql, Row row) throws Exception {
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }

    /** {@code serve --clock events} in a child JVM on a free port, its output in a log file. */
    private static final class Child {
        final Process process;
        final String base;

        private Child(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        static Child start(String db, Path rules, Path log) throws Exception {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    "pm.monitor.cli.Main", "serve", "--db", db, "--port", "0", "--clock", "events", "--rules",
                    rules.toString(), "--no-watch", "--rate", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end) {
                Matcher m = SERVING.matcher(Files.exists(log) ? Files.readString(log) : "");
                if (m.find()) {
                    return new Child(p, "http://localhost:" + m.group(1));
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("serve exited with " + p.exitValue() + " before serving; see " + log);
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
            throw new IllegalStateException("serve did not start within 120 s; see " + log);
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
