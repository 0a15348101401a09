package pm.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pm.monitor.support.TestDatabase;

/**
 * Crash safety: {@code serve} killed with SIGKILL in mid-stream loses no acknowledged event, and
 * after a restart its findings are those of a clean replay of the same events — none lost,
 * none repeated. The service runs as a child JVM so that the kill is a real one.
 */
@Tag("process")
class CrashTest {
    private static final Pattern SERVING = Pattern.compile("serving on http://localhost:(\\d+)/");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("kill -9 under load, twice: every acknowledged event is stored, and after restart the findings equal a clean replay")
    void killedTwiceUnderLoad() throws Exception {
        Feed feed = new Feed(3, 5, 11, 30);
        int total = feed.batches.size();
        assertTrue(total > 60, "a stream long enough to be killed in the middle: " + total + " batches");
        String dbUrl = TestDatabase.freshSchemaUrl();
        Path logs = Files.createDirectories(Path.of("engine/target/fault-logs"));

        // Two kills at different points of the stream, then a run to the end.
        int[] killAfter = {total / 4, (total * 3) / 5};
        // The first kill lands just after an acknowledgement, the second a little later, most
        // likely while a batch is being stored: stored but unacknowledged, it is sent again.
        long[] killDelayMillis = {0, 15};
        Set<String> acknowledged = new java.util.HashSet<>();
        int next = 0;
        for (int run = 0; run < killAfter.length; run++) {
            Child child = Child.start(dbUrl, logs.resolve("crash-" + run + ".log"));
            try {
                Client client = new Client(child.base, feed, next, Integer.MAX_VALUE);
                Thread t = new Thread(client, "crash-client");
                t.start();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (client.acked.get() < killAfter[run]) {
                    if (System.nanoTime() > end || !t.isAlive()) {
                        fail("the client did not reach batch " + killAfter[run] + " (at " + client.acked.get()
                                + ", " + client.failure + ")\n" + child.tail());
                    }
                    Thread.sleep(1);
                }
                Thread.sleep(killDelayMillis[run]);
                child.kill();
                t.join(40_000);
                assertTrue(!t.isAlive(), "the client stops when the service dies");
                acknowledged.addAll(client.acknowledgedIds);
                next = client.acked.get();
                assertTrue(next < total, "killed before the stream ended");
                Set<String> stored = Feed.storedEvents(dbUrl);
                assertTrue(stored.containsAll(acknowledged), "acknowledged events missing after kill " + (run + 1)
                        + ": " + Feed.sample(acknowledged, stored));
                assertTrue(feed.ids.containsAll(stored), "only events of the stream are stored");
                System.out.printf("kill %d after batch %d of %d: %d events acknowledged, %d stored, %d findings stored%n",
                        run + 1, next, total, acknowledged.size(), stored.size(), Feed.storedFindings(dbUrl).size());
            } finally {
                child.kill();
            }
        }

        // The batch in flight at each kill may or may not have been stored; it is sent again and
        // counted as duplicates where it was.
        Child child = Child.start(dbUrl, logs.resolve("crash-final.log"));
        try {
            Client client = new Client(child.base, feed, next, Integer.MAX_VALUE);
            client.run();
            assertEquals(total, client.acked.get(), "every batch acknowledged after the restarts: " + client.failure
                    + "\n" + child.tail());
            HttpResponse<String> clock = Feed.post(http, child.base, "/api/clock", "{\"until\":\"" + feed.until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());

            Set<String> stored = Feed.storedEvents(dbUrl);
            assertEquals(feed.ids.size(), stored.size(), "every event stored once");
            assertEquals(feed.ids, stored);

            TreeSet<String> expected = feed.replayed();
            assertTrue(expected.size() > 100, "a stream with findings of many kinds: " + expected.size());
            // The findings are written behind the engines: poll until they are all there.
            TreeSet<String> live = Feed.storedFindings(dbUrl);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!live.equals(expected) && System.nanoTime() < end) {
                Thread.sleep(200);
                live = Feed.storedFindings(dbUrl);
            }
            assertEquals(expected.size(), live.size(), "findings count; missing " + Feed.sample(expected, live)
                    + ", extra " + Feed.sample(live, expected));
            assertEquals(expected, live);
            assertEquals((long) expected.size(), totalVia(child.base), "GET /api/findings total");
        } finally {
            child.stop();
        }
    }

    private long totalVia(String base) throws Exception {
        HttpResponse<String> r = Feed.get(http, base, "/api/findings?limit=1");
        assertEquals(200, r.statusCode(), r.body());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> page = (java.util.Map<String, Object>) pm.monitor.finding.Json.parse(r.body());
        return ((Number) page.get("total")).longValue();
    }

    /** Posts the feed's batches in order from {@code from}; stops at the first failure to reach the service. */
    static final class Client implements Runnable {
        final AtomicInteger acked;
        final List<String> acknowledgedIds = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile String failure;
        private final String base;
        private final Feed feed;
        private final int until;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Client(String base, Feed feed, int from, int until) {
            this.base = base;
            this.feed = feed;
            this.acked = new AtomicInteger(from);
            this.until = Math.min(until, feed.batches.size());
        }

        @Override
        public void run() {
            while (acked.get() < until) {
                int i = acked.get();
                HttpResponse<String> r;
                try {
                    r = Feed.post(http, base, "/api/events", feed.batches.get(i));
                } catch (IOException e) {
                    failure = "batch " + i + ": " + e;
                    return; // the service is gone: this batch is not acknowledged
                } catch (Exception e) {
                    failure = "batch " + i + ": " + e;
                    return;
                }
                if (r.statusCode() != 200 || !List.of().equals(((java.util.Map<?, ?>) pm.monitor.finding.Json.parse(r.body()))
                        .get("rejected"))) {
                    failure = "batch " + i + ": " + r.statusCode() + " " + r.body();
                    return;
                }
                acknowledgedIds.addAll(feed.batchIds.get(i));
                acked.incrementAndGet();
            }
        }
    }

    /** {@code serve --clock events} in a child JVM on a free port, its output in a log file. */
    static final class Child {
        final Process process;
        final String base;
        final Path log;

        private Child(Process process, String base, Path log) {
            this.process = process;
            this.base = base;
            this.log = log;
        }

        static Child start(String dbUrl, Path log) throws Exception {
            // Surefire puts the test classpath in a manifest-only jar; it names the real one here.
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx512m",
                    // C1 only: the child lives a minute, so a quick start beats peak speed
                    "-XX:TieredStopAtLevel=1", "-cp", cp, "pm.monitor.cli.Main", "serve",
                    "--db", dbUrl, "--port", "0", "--clock", "events", "--rules", "rules", "--shards", "2", "--no-watch")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < end) {
                Matcher m = SERVING.matcher(Files.readString(log));
                if (m.find()) {
                    System.out.printf("serve started in %d ms%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - end) + 90_000);
                    return new Child(p, "http://localhost:" + m.group(1), log);
                }
                if (!p.isAlive()) {
                    fail("serve exited with " + p.exitValue() + " before serving:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
            fail("serve did not start within 90 s:\n" + Files.readString(log));
            return null;
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }

        String tail() {
            try {
                String s = Files.readString(log);
                return s.substring(Math.max(0, s.length() - 4000));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
