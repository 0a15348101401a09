package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;
import pm.monitor.store.schema.Tables;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * Each community has its own clock, and an event too far ahead of it is refused (issue 17,
 * defects 3 and 4; README "Late and out-of-order events"), against a real PostgreSQL.
 */
@Tag("server")
class ClocksTest {

    private static String received(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\","
                + "\"receivedBy\":\"a1\"}";
    }

    private static String contacted(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.contacted\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"by\":\"s1\"}";
    }

    private static String call(String id, String community, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.answered\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"call\":\"K-" + id + "\",\"rings\":1}";
    }

    private static final DateTimeFormatter BEIJING = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.ofHours(8));

    private static String at(Instant t) {
        return BEIJING.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    /** The answer of a request that must be taken whole: its late events. */
    private static List<Map<String, Object>> taken(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> body = TestServer.json(r);
        assertEquals(List.of(), body.get("rejected"), r.body());
        return list(body, "late");
    }

    /** The one rejection of a request whose one event is refused for its time. */
    private static Map<String, Object> refusedForTime(HttpResponse<String> r, String id) {
        assertEquals(400, r.statusCode(), r.body());
        Map<String, Object> body = TestServer.json(r);
        assertEquals(0, body.get("accepted"), r.body());
        List<Map<String, Object>> rejected = list(body, "rejected");
        assertEquals(1, rejected.size(), r.body());
        Map<String, Object> x = rejected.get(0);
        assertEquals(1, x.get("line"));
        assertEquals(id, x.get("id"));
        assertEquals("at", x.get("field"));
        return x;
    }

    private static long stored(TestServer server, String id) {
        return server.app().database().dsl().fetchCount(Tables.EVENTS, Tables.EVENTS.ID.eq(id));
    }

    @Test
    @DisplayName("--clock events: an event of community B 20 days ahead moves B's clock only; A's contact on time is taken and A gets no false finding; 9 months ahead is refused with its reason")
    void anotherCommunitysFutureLeavesThisOneAlone() {
        try (TestServer server = TestServer.start("events")) {
            assertEquals(List.of(), taken(server.post("/api/events", String.join("\n",
                    received("a1", "CA", "T1", "2026-03-02T09:00:00+08:00"),
                    call("b1", "CB", "2026-03-02T09:00:00+08:00")))));

            // 20 days ahead of B's clock: within the 30 days allowed, taken; it moves B alone.
            assertEquals(List.of(), taken(server.post("/api/events", call("b2", "CB", "2026-03-22T09:30:00+08:00"))));

            // A's contact, on time: not late (it was flagged 480 hours late when one clock served all).
            assertEquals(List.of(), taken(server.post("/api/events", contacted("a2", "CA", "T1", "2026-03-02T10:00:00+08:00"))));
            assertEquals(List.of(), taken(server.post("/api/events", call("a3", "CA", "2026-03-02T11:30:00+08:00"))));
            server.drain();
            assertEquals(List.of(), server.findings("community=CA&rule=complaint.contact-2h"),
                    "T1 was contacted in time: no warning, no violation");
            assertEquals(0, server.app().database().dsl().fetchCount(Tables.EVENTS, Tables.EVENTS.FLAG.isNotNull()));

            // Nine months ahead of B's clock: a wrong date, refused with its reason and not stored.
            Map<String, Object> far = refusedForTime(server.post("/api/events", call("b3", "CB", "2026-12-22T09:30:00+08:00")),
                    "b3");
            String reason = String.valueOf(far.get("reason"));
            assertTrue(reason.contains("community CB's clock") && reason.contains("--max-ahead")
                    && reason.contains("社区 CB 的时钟") && reason.contains("日期应有误"), reason);
            assertEquals(0, stored(server, "b3"));

            // A new community is measured against the newest clock of any community (B's, 03-22).
            Map<String, Object> fresh = refusedForTime(server.post("/api/events",
                    call("c1", "CC", "2026-12-22T09:30:00+08:00")), "c1");
            assertTrue(String.valueOf(fresh.get("reason")).contains("the newest clock of any community"), fresh.toString());
            assertEquals(List.of(), taken(server.post("/api/events", call("c2", "CC", "2026-04-15T09:30:00+08:00"))));

            // A's next events are still judged on A's clock.
            assertEquals(List.of(), taken(server.post("/api/events", call("a4", "CA", "2026-03-02T11:40:00+08:00"))));
            server.drain();
            assertEquals(List.of(), server.findings("community=CA&rule=complaint.contact-2h"));
        }
    }

    @Test
    @DisplayName("Wall clock: an event 20 days in the future is refused with its reason and not stored; the real contact, on time, is taken; 1 minute ahead is taken")
    void wallClockRefusesTheFuture() {
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), Rules.dir(), "wall", c -> c,
                Clock.systemUTC())) {
            Instant now = Instant.now();
            assertEquals(List.of(), taken(server.post("/api/events",
                    received("w1", "CW", "T1", at(now.minus(Duration.ofMinutes(5)))))));

            Map<String, Object> future = refusedForTime(server.post("/api/events",
                    call("w2", "CW", at(now.plus(Duration.ofDays(20))))), "w2");
            String reason = String.valueOf(future.get("reason"));
            assertTrue(reason.contains("ahead of the wall clock") && reason.contains("--future-tolerance")
                    && reason.contains("事件时间在未来"), reason);
            assertEquals(0, stored(server, "w2"));

            assertEquals(List.of(), taken(server.post("/api/events", contacted("w3", "CW", "T1", at(Instant.now())))),
                    "the contact on time is not late");
            assertEquals(List.of(), taken(server.post("/api/events",
                    call("w4", "CW", at(Instant.now().plus(Duration.ofMinutes(1)))))), "within the 5 minutes allowed");
            server.drain();
            assertEquals(List.of(), server.findings("community=CW&rule=complaint.contact-2h"),
                    "no violation stamped in the future");
            assertEquals(0, server.app().database().dsl().fetchCount(Tables.EVENTS, Tables.EVENTS.FLAG.isNotNull()));
        }
    }

    @Test
    @DisplayName("--clock events, two concurrent senders each with its own communities, one far ahead of the other: no event late, findings and KPIs those of an offline replay")
    void twoSendersOwnCommunities() throws Exception {
        StringWriter generated = new StringWriter();
        new Generator(4, 3, LocalDate.of(2026, 3, 2), 5, 25, 4).write(generated);
        String[] lines = generated.toString().split("\n");
        List<Replay.Input> inputs = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(generated.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Replay.Input(event, line, line));
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        Replay.Result replay = new Replay(Rules.real(), 2).run(inputs, null, null);
        TreeSet<String> expected = Outcome.findings(replay.findings());
        assertTrue(expected.size() > 100, "a scenario with findings: " + expected.size());
        // Sender A owns C0001 and C0002, sender B the others; each sends its own in time order.
        List<List<String>> own = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < lines.length; i++) {
            String c = inputs.get(i).event().community();
            own.get(c.equals("C0001") || c.equals("C0002") ? 0 : 1).add(lines[i]);
        }
        String until = (String) ((Map<?, ?>) Json.parse(lines[lines.length - 1])).get("at");

        try (TestServer server = TestServer.start("events")) {
            AtomicInteger late = new AtomicInteger();
            AtomicInteger sentByA = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            int batch = 100;
            int batchesOfA = (own.get(0).size() + batch - 1) / batch;
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                List<String> mine = own.get(s);
                boolean b = s == 1;
                senders.add(new Thread(() -> {
                    try {
                        // B starts when A is a third through: A's communities are then a day ahead
                        // in event time, which made every event of B late when one clock served all.
                        while (b && sentByA.get() < batchesOfA / 3) {
                            Thread.sleep(5);
                        }
                        for (int i = 0; i < mine.size(); i += batch) {
                            HttpResponse<String> r = server.post("/api/events",
                                    String.join("\n", mine.subList(i, Math.min(mine.size(), i + batch))));
                            if (r.statusCode() != 200 || !List.of().equals(TestServer.json(r).get("rejected"))) {
                                failure.compareAndSet(null, r.statusCode() + " " + r.body());
                                return;
                            }
                            late.addAndGet(list(TestServer.json(r), "late").size());
                            if (!b) {
                                sentByA.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        if (!b) {
                            sentByA.set(Integer.MAX_VALUE);
                        }
                    }
                }, "sender-" + s));
            }
            senders.forEach(Thread::start);
            for (Thread t : senders) {
                t.join(120_000);
            }
            assertEquals(null, failure.get());
            assertEquals(0, late.get(), "no event came behind its own community's clock");
            assertEquals(0, server.app().database().dsl().fetchCount(Tables.EVENTS, Tables.EVENTS.LATE_BY_MS.isNotNull()));
            var clock = server.post("/api/clock", "{\"until\":\"" + until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            assertEquals(expected, Outcome.findings(server), "no false finding");
            assertEquals(Outcome.kpis(replay.kpis()), Outcome.kpis(server));
        }
    }

    @Test
    @DisplayName("A ticket's receipt and its next event in two concurrent requests, the second taken first: both are accepted")
    @SuppressWarnings("unchecked")
    void receiptInAConcurrentRequest() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            assertEquals(List.of(), taken(server.post("/api/events", call("x0", "C1", "2026-03-02T08:00:00+08:00"))));
            // The receipt's request is on its way (its headers sent, its body after a pause) while
            // the contact's request arrives whole and is taken first.
            String receipt = received("r1", "C1", "T9", "2026-03-02T09:00:00+08:00");
            CompletableFuture<String> first = slowPost(server, receipt, 600);
            // its headers are in (not a fixed sleep: under load they may take longer than one)
            TestServer.await("the first request on its way", Duration.ofSeconds(10),
                    () -> server.app().ingest().arrivingNow() > 0);
            long t0 = System.nanoTime();
            HttpResponse<String> second = server.post("/api/events",
                    contacted("c1", "C1", "T9", "2026-03-02T09:30:00+08:00"));
            Map<String, Object> b = TestServer.json(second);
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(List.of(), b.get("rejected"), second.body());
            assertEquals(1, b.get("accepted"), second.body());
            String answer = first.get(10, java.util.concurrent.TimeUnit.SECONDS);
            Map<String, Object> a = (Map<String, Object>) Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(1, a.get("accepted"), a.toString());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "within the wait");
            assertEquals(1, stored(server, "c1"));
            server.drain();
            assertEquals(List.of(), server.findings("community=C1&rule=complaint.contact-2h"));

            // One sender alone with a ticket that never was: refused at once, as before.
            long t1 = System.nanoTime();
            HttpResponse<String> ghost = server.post("/api/events", contacted("g1", "C1", "GHOST", "2026-03-02T09:40:00+08:00"));
            assertEquals(400, ghost.statusCode(), ghost.body());
            assertTrue(ghost.body().contains("unknown ticket GHOST"), ghost.body());
            assertTrue(System.nanoTime() - t1 < Duration.ofMillis(1500).toNanos(), "no request on its way: no wait");
        }
    }

    /**
     * POST /api/events over a plain socket: the headers at once, the body after a pause. The
     * answer: the whole HTTP response.
     */
    private static CompletableFuture<String> slowPost(TestServer server, String body, long pauseMillis) {
        return CompletableFuture.supplyAsync(() -> {
            URI uri = URI.create(server.url("/api/events"));
            byte[] data = body.getBytes(StandardCharsets.UTF_8);
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/events HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + data.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(pauseMillis);
                out.write(data);
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
