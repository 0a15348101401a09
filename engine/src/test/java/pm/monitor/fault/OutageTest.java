package pm.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.finding.Json;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/**
 * Database outage: while PostgreSQL is down, ingest answers 503 with Retry-After and
 * acknowledges nothing; when it returns, the same running service takes events again and
 * nothing is lost. The test runs its own embedded PostgreSQL, stopped and started on the same
 * data and port — never the shared server the other tests use.
 */
@Tag("process")
class OutageTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("PostgreSQL stopped and started during ingest: 503 + Retry-After meanwhile, then the service resumes by itself, nothing lost")
    void stopAndStartDuringIngest(@TempDir Path tmp) throws Exception {
        Feed feed = new Feed(3, 4, 23, 30);
        int total = feed.batches.size();
        int port = freePort();
        Path data = tmp.resolve("pgdata");
        EmbeddedPostgres pg = start(data, port);
        String dbUrl = pg.getJdbcUrl("postgres", "postgres");
        Client client = null;
        Thread thread = null;
        try (TestServer server = TestServer.start(dbUrl, Rules.dir(), "events")) {
            String base = server.url("");
            Client c = new Client(base, feed);
            client = c;
            thread = new Thread(c, "outage-client");
            thread.start();
            awaitTrue("a quarter of the stream acknowledged", 60, () -> c.acked.get() >= total / 4);

            pg.close();
            long down = System.nanoTime();
            client.downSince = down;
            awaitTrue("three refusals while the database is down", 60, () -> c.refusedWhileDown.size() >= 3);
            for (HttpResponse<String> r : List.copyOf(client.refusedWhileDown)) {
                assertEquals(503, r.statusCode());
                assertNotNull(r.headers().firstValue("Retry-After").orElse(null), "Retry-After on " + r.body());
                Object error = ((Map<?, ?>) Json.parse(r.body())).get("error");
                assertTrue(error instanceof String s && !s.isBlank(), "a JSON error: " + r.body());
            }
            HttpResponse<String> health = Feed.get(http, base, "/api/health");
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("database unavailable", ((Map<?, ?>) Json.parse(health.body())).get("status"));
            assertTrue(health.headers().firstValue("Retry-After").isPresent(), "Retry-After on /api/health");
            int ackedWhileDown = client.acked.get();

            // From here on an acknowledgement may be genuine: the database is coming back.
            client.downSince = Long.MAX_VALUE;
            long up = System.nanoTime();
            pg = start(data, port);
            assertEquals(List.of(), client.acknowledgedWhileDown, "batches acknowledged while the database was down");
            // Without restarting the service: the pool reconnects by itself.
            awaitTrue("ingest to resume after the database returned", 30, () -> c.acked.get() > ackedWhileDown);
            System.out.printf("ingest resumed %d ms after PostgreSQL was started again; %d refusals while down%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up), client.refused.get());
            awaitTrue("the whole stream acknowledged", 90, () -> c.acked.get() == total);
            thread.join(10_000);
            assertEquals(null, client.failure);

            HttpResponse<String> health2 = Feed.get(http, base, "/api/health");
            assertEquals(200, health2.statusCode(), health2.body());
            HttpResponse<String> clock = Feed.post(http, base, "/api/clock", "{\"until\":\"" + feed.until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();

            Set<String> stored = Feed.storedEvents(dbUrl);
            assertTrue(stored.containsAll(client.acknowledgedIds), "acknowledged events missing: "
                    + Feed.sample(new java.util.HashSet<>(client.acknowledgedIds), stored));
            assertEquals(feed.ids, stored, "every event stored, once");

            TreeSet<String> expected = feed.replayed();
            assertTrue(expected.size() > 100, "a stream with findings of many kinds: " + expected.size());
            TreeSet<String> live = Feed.storedFindings(dbUrl);
            assertEquals(expected.size(), live.size(), "findings count; missing " + Feed.sample(expected, live)
                    + ", extra " + Feed.sample(live, expected));
            assertEquals(expected, live);
        } finally {
            if (client != null) {
                client.stop = true;
            }
            if (thread != null) {
                thread.join(10_000);
            }
            pg.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitTrue(String what, int seconds, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Posts the batches in order, a short pause between them, sending a batch again until it is
     * acknowledged. It retries sooner than Retry-After advises, to keep the test short.
     */
    static final class Client implements Runnable {
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> acknowledgedIds = Collections.synchronizedList(new ArrayList<>());
        /** Answers to requests sent after the database was stopped. */
        final List<HttpResponse<String>> refusedWhileDown = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> acknowledgedWhileDown = Collections.synchronizedList(new ArrayList<>());
        volatile long downSince = Long.MAX_VALUE;
        volatile boolean stop;
        volatile String failure;
        private final String base;
        private final Feed feed;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Client(String base, Feed feed) {
            this.base = base;
            this.feed = feed;
        }

        @Override
        public void run() {
            try {
                while (!stop && acked.get() < feed.batches.size()) {
                    int i = acked.get();
                    long sent = System.nanoTime();
                    boolean whileDown = sent > downSince;
                    HttpResponse<String> r = Feed.post(http, base, "/api/events", feed.batches.get(i));
                    // A request sent after the stop ended can only be answered while still down
                    // if the database did not come back before the answer: downSince says so.
                    whileDown = whileDown && downSince != Long.MAX_VALUE;
                    if (r.statusCode() == 200) {
                        Object rejected = ((Map<?, ?>) Json.parse(r.body())).get("rejected");
                        if (!List.of().equals(rejected)) {
                            failure = "batch " + i + " rejected: " + r.body();
                            return;
                        }
                        if (whileDown) {
                            acknowledgedWhileDown.add(i);
                        }
                        acknowledgedIds.addAll(feed.batchIds.get(i));
                        acked.incrementAndGet();
                        Thread.sleep(10);
                    } else if (r.statusCode() == 503) {
                        refused.incrementAndGet();
                        if (whileDown) {
                            refusedWhileDown.add(r);
                        }
                        Thread.sleep(200);
                    } else {
                        failure = "batch " + i + ": " + r.statusCode() + " " + r.body();
                        return;
                    }
                }
            } catch (Exception e) {
                failure = e.toString();
            }
        }
    }
}
