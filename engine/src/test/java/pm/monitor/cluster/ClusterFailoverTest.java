package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.finding.Json;
import pm.monitor.http.Addresses;
import pm.monitor.support.Generated;
import pm.monitor.support.KafkaBroker;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * Three instances of {@code serve --kafka} on one in-process KRaft broker and one database: one
 * is stopped mid-stream after storing a batch it never commits, as a killed instance would be.
 * Every acknowledged event is stored once, the findings are those of a single-node replay of
 * the same events (same ids), none is emitted twice, and the moved communities go on.
 */
@Tag("process")
class ClusterFailoverTest {

    @Test
    @DisplayName("a cluster of three on Kafka loses an instance mid-stream: every event stored once, the replay's findings, none twice")
    @SuppressWarnings("unchecked")
    void failover() throws Exception {
        Generated g = Generated.of(new Generator(16, 3, LocalDate.of(2026, 3, 2), 11, 12, 2));
        String[] lines = g.lines();
        List<Replay.Input> inputs = g.inputs();
        String until = g.until();
        long start = System.nanoTime();
        // the single-node replay runs while the broker and the instances start
        java.util.concurrent.CompletableFuture<Replay.Result> replay = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> new Replay(Rules.real(), 2).run(inputs, null, null));

        String db = TestDatabase.freshSchemaUrl();
        try (KafkaBroker kafka = KafkaBroker.start()) {
            long brokerUp = System.nanoTime();
            List<TestServer> servers = new ArrayList<>();
            // the live findings each instance publishes (its own and, through the findings topic, the
            // others'), by id: every one on every instance, none twice
            List<Map<String, Integer>> live = new ArrayList<>();
            AtomicLong firstAfterCrash = new AtomicLong();
            Set<String> moved = ConcurrentHashMap.newKeySet();
            try {
                Instances.start(3, db, kafka.bootstrap(), servers);
                long started = System.nanoTime();
                for (TestServer s : servers) {
                    Map<String, Integer> emitted = new ConcurrentHashMap<>();
                    live.add(emitted);
                    s.app().vertx().eventBus().<String>consumer(Addresses.FINDINGS, m -> {
                        Map<String, Object> f = (Map<String, Object>) Json.parse(m.body());
                        emitted.merge((String) f.get("id"), 1, Integer::sum);
                        if (moved.contains((String) f.get("community"))) {
                            firstAfterCrash.compareAndSet(0, System.nanoTime());
                        }
                    });
                }
                long t0 = System.nanoTime();
                System.out.printf("cluster failover: broker started in %d ms, three instances sharing the "
                        + "partitions %d ms later%n", (brokerUp - start) / 1_000_000, (started - brokerUp) / 1_000_000);
                // checked as on one node: a line that cannot be read is that line's rejection, nothing produced
                var bad = servers.get(1).post("/api/events", "{\"id\": \"x\"\n");
                assertEquals(400, bad.statusCode(), bad.body());
                List<Map<String, Object>> rejected = (List<Map<String, Object>>) TestServer.json(bad).get("rejected");
                assertEquals(1, rejected.size(), bad.body());
                assertEquals(1, ((Number) rejected.get(0).get("line")).intValue(), bad.body());
                int half = lines.length / 2;
                post(servers, lines, 0, half);
                awaitStored(servers.get(0), half);
                long t1 = System.nanoTime();

                // the instance with the most partitions stops after storing its next batch, uncommitted
                TestServer victim = servers.stream().max(java.util.Comparator.comparingInt(
                        s -> s.app().owner().owned().size())).orElseThrow();
                EventTopic topic = EventTopic.ensure(kafka.bootstrap());
                Set<Integer> victimParts = victim.app().owner().owned();
                for (Event e : inputs.stream().map(Replay.Input::event).toList()) {
                    if (victimParts.contains(topic.partitionOf(e.community()))) {
                        moved.add(e.community());
                    }
                }
                victim.app().owner().crashAfterNextStore();
                List<TestServer> alive = new ArrayList<>(servers);
                alive.remove(victim);
                Thread poster = new Thread(() -> post(alive, lines, half, lines.length));
                poster.start();
                TestServer.await("the victim to stop", Duration.ofSeconds(60), () -> victim.app().owner().stopped());
                long crashedAt = System.nanoTime();
                firstAfterCrash.set(0);
                poster.join();
                TestServer.await("the partitions moved to the two left", Duration.ofSeconds(60), () ->
                        alive.get(0).app().owner().owned().size() + alive.get(1).app().owner().owned().size() == 12);
                awaitStored(alive.get(0), lines.length);
                long t2 = System.nanoTime();
                for (TestServer s : alive) {
                    var r = s.post("/api/clock", "{\"until\":\"" + until + "\"}");
                    assertEquals(200, r.statusCode(), r.body());
                }
                for (TestServer s : alive) {
                    TestServer.await("the engines drained", Duration.ofSeconds(60), () -> {
                        s.drain();
                        return true;
                    });
                }
                assertEquals(lines.length, victim.app().database().dsl()
                        .fetchCount(pm.monitor.store.schema.Tables.EVENTS), "every acknowledged event stored once");
                TreeSet<String> expected = Outcome.findings(replay.join().findings());
                assertTrue(expected.size() > 50, "a scenario with many findings: " + expected.size());
                assertEquals(expected, Outcome.findings(alive.get(0)), "the findings of a single-node replay");
                // KPIs from any instance: its own communities' from memory, the others' as stored (each second)
                var kpis = Outcome.kpis(replay.join().kpis());
                for (TestServer s : alive) {
                    TestServer.await("the KPIs of every community on every instance", Duration.ofSeconds(30),
                            () -> kpis.equals(Outcome.kpis(s)));
                }
                TreeSet<String> ids = new TreeSet<>();
                expected.forEach(line -> ids.add(line.substring(0, line.indexOf(' '))));
                for (Map<String, Integer> emitted : live) {
                    TestServer.await("every finding on every instance's live stream", Duration.ofSeconds(30),
                            () -> emitted.size() >= ids.size());
                    List<String> twice = emitted.entrySet().stream().filter(x -> x.getValue() > 1)
                            .map(Map.Entry::getKey).toList();
                    assertEquals(List.of(), twice, "findings emitted twice");
                    assertEquals(ids, new TreeSet<>(emitted.keySet()), "the live stream of every instance");
                }
                assertTrue(firstAfterCrash.get() > 0, "a moved community's finding after the stop");
                System.out.printf("cluster failover: %d events, %d findings; the victim owned %d partitions (%d "
                                + "communities); first finding of a moved community %d ms after the stop%n",
                        lines.length, expected.size(), victimParts.size(), moved.size(),
                        (firstAfterCrash.get() - crashedAt) / 1_000_000);
                System.out.printf("cluster failover: first half posted and stored in %d ms, second half (with the "
                        + "failover) in %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            } finally {
                for (TestServer s : servers) {
                    s.close();
                }
            }
        }
    }

    private static void awaitStored(TestServer s, int n) {
        TestServer.await(n + " events stored", Duration.ofSeconds(90), () ->
                s.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS) >= n);
    }

    /** Posts lines [from, to) in batches of 100, round robin over the instances; each must be acknowledged. */
    private static void post(List<TestServer> servers, String[] lines, int from, int to) {
        int k = 0;
        for (int i = from; i < to; i += 100) {
            StringBuilder b = new StringBuilder();
            for (int j = i; j < Math.min(to, i + 100); j++) {
                b.append(lines[j]).append('\n');
            }
            var r = servers.get(k++ % servers.size()).post("/api/events", b.toString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }
}
