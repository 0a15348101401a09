package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.support.KafkaBroker;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * How fast a cluster of three on one in-process broker takes events (issue 22's target: 20,000
 * events/s with durable acknowledgements): acknowledged (in Kafka on all in-sync replicas) and
 * stored (in PostgreSQL, engines fed, findings stored, offsets committed). Prints both; asserts
 * only that every acknowledged event is stored once. Broker, instances and the senders share
 * this machine's cores.
 */
@Tag("slow")
@Tag("process")
class ClusterIngestRateTest {

    @Test
    @DisplayName("three instances on Kafka: acknowledged and stored events per second")
    void rate() throws Exception {
        StringWriter generated = new StringWriter();
        new Generator(60, 3, LocalDate.of(2026, 3, 2), 5, 40, 3).write(generated);
        String[] lines = generated.toString().split("\n");
        String db = TestDatabase.freshSchemaUrl();
        try (KafkaBroker kafka = KafkaBroker.start()) {
            List<TestServer> servers = new ArrayList<>();
            try {
                Instances.start(3, db, kafka.bootstrap(), servers);
                // four senders, each its own communities (a community's events in order), 1,000 lines a request
                int senders = 4;
                List<List<String>> parts = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    parts.add(new ArrayList<>());
                }
                for (String l : lines) {
                    String c = l.replaceAll(".*\"community\"\\s*:\\s*\"([^\"]*)\".*", "$1");
                    parts.get(Math.floorMod(c.hashCode(), senders)).add(l);
                }
                AtomicInteger next = new AtomicInteger();
                long t0 = System.nanoTime();
                List<CompletableFuture<Void>> running = new ArrayList<>();
                for (List<String> part : parts) {
                    TestServer to = servers.get(next.getAndIncrement() % servers.size());
                    running.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < part.size(); i += 1000) {
                            String body = String.join("\n", part.subList(i, Math.min(part.size(), i + 1000))) + "\n";
                            var r = to.post("/api/events", body);
                            assertEquals(200, r.statusCode(), r.body());
                        }
                    }));
                }
                running.forEach(CompletableFuture::join);
                long acked = System.nanoTime();
                TestServer.await("every event stored", Duration.ofSeconds(600), () -> servers.get(0).app().database().dsl()
                        .fetchCount(pm.monitor.store.schema.Tables.EVENTS) >= lines.length);
                long stored = System.nanoTime();
                assertEquals(lines.length, servers.get(0).app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS));
                System.out.printf("cluster ingest: %d events acknowledged in %d ms (%.0f events/s), stored in %d ms "
                                + "(%.0f events/s end to end)%n", lines.length, (acked - t0) / 1_000_000,
                        lines.length * 1e9 / (acked - t0), (stored - t0) / 1_000_000, lines.length * 1e9 / (stored - t0));
            } finally {
                servers.forEach(TestServer::close);
            }
        }
    }
}
