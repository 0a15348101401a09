package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** Late and out-of-order events (README "Late and out-of-order events"), against a real PostgreSQL. */
@Tag("server")
class LatenessTest {

    private static String received(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"C1\","
                + "\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\","
                + "\"receivedBy\":\"a1\"}";
    }

    private static String contacted(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.contacted\",\"at\":\"" + at + "\",\"community\":\"C1\","
                + "\"ticket\":\"" + ticket + "\",\"by\":\"s1\"}";
    }

    private static String call(String id, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.answered\",\"at\":\"" + at + "\",\"community\":\"C1\","
                + "\"call\":\"K-" + id + "\",\"rings\":1}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> late(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> body = TestServer.json(r);
        assertEquals(List.of(), body.get("rejected"), r.body());
        return (List<Map<String, Object>>) body.get("late");
    }

    /** Live findings of a rule and kind: their subjects. */
    private static TreeSet<String> subjects(TestServer server, String rule, String kind) {
        TreeSet<String> out = new TreeSet<>();
        for (Map<String, Object> f : server.findings("rule=" + rule + "&kind=" + kind)) {
            out.add((String) f.get("subject"));
        }
        return out;
    }

    private static String violationId(TestServer server, String ticket) {
        List<Map<String, Object>> v = server.findings("rule=complaint.contact-2h&kind=violation&subject=" + ticket);
        assertEquals(1, v.size(), "one contact violation for " + ticket + ": " + v);
        return (String) v.get(0).get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> review(TestServer server, String community) {
        HttpResponse<String> r = server.get("/api/review?community=" + community);
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) TestServer.json(r).get("items");
    }

    /** The findings of an offline replay of these lines up to {@code until}. */
    private static TreeSet<String> replayed(List<String> lines, Instant until) {
        List<Replay.Input> inputs = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(String.join("\n", lines))), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Replay.Input(event, line, line));
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        // The offline replay sorts by event time itself; the input is given sorted anyway.
        inputs.sort(Comparator.comparing((Replay.Input i) -> i.event().at()).thenComparingInt(Replay.Input::line));
        return Outcome.findings(new Replay(Rules.real(), 2).run(inputs, until, null).findings());
    }

    @Test
    @DisplayName("A stream shuffled within the allowed lateness gives exactly the live findings and KPIs of an offline replay in time order")
    @SuppressWarnings("unchecked")
    void shuffledWithinLatenessEqualsReplay() {
        StringWriter generated = new StringWriter();
        new Generator(2, 3, LocalDate.of(2026, 3, 2), 11, 15, 3).write(generated);
        List<String> lines = List.of(generated.toString().split("\n"));
        List<Event> events = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(generated.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                events.add(event);
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        assertEquals(lines.size(), events.size());

        // Each event is held back a random 0..10 min and sent in the order of its release, so no
        // event is sent after one more than 10 min younger. A ticket's events keep their order
        // (one about a ticket not yet received would be refused, as it should be); so do the
        // registrations, which everything else needs.
        SplittableRandom random = new SplittableRandom(7);
        long max = 10 * 60_000;
        Map<String, Long> chain = new HashMap<>();
        long[] release = new long[events.size()];
        Integer[] order = new Integer[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String ticket = e instanceof Event.OfTicket t ? t.ticket() : null;
            String key = ticket != null ? e.community() + "|" + ticket
                    : e.type().endsWith(".registered") ? "registrations" : null;
            long r = e.at().toEpochMilli() + (e.type().endsWith(".registered") ? 0 : random.nextLong(max + 1));
            if (key != null) {
                r = Math.max(r, chain.getOrDefault(key, Long.MIN_VALUE));
                chain.put(key, r);
            }
            release[i] = r;
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> release[i]).thenComparingInt(i -> i));
        int displaced = 0;
        for (int k = 0; k < order.length; k++) {
            if (order[k] != k) {
                displaced++;
            }
        }
        assertTrue(displaced > lines.size() / 8, "the stream is really shuffled: " + displaced + " of " + lines.size());

        String until = (String) ((Map<String, Object>) Json.parse(lines.get(lines.size() - 1))).get("at");
        Replay.Result replay;
        {
            List<Replay.Input> inputs = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                inputs.add(new Replay.Input(events.get(i), i + 1, i + 1));
            }
            replay = new Replay(Rules.real(), 2).run(inputs, null, null);
        }
        TreeSet<String> expected = Outcome.findings(replay.findings());
        assertTrue(expected.size() > 50, "a scenario with findings: " + expected.size());

        try (TestServer server = TestServer.start("events")) {
            int rebuilt = 0;
            int k = 0;
            while (k < order.length) {
                int n = 1 + random.nextInt(12);
                StringBuilder batch = new StringBuilder();
                for (int j = k; j < Math.min(order.length, k + n); j++) {
                    batch.append(lines.get(order[j])).append('\n');
                }
                k += n;
                for (Map<String, Object> l : late(server.post("/api/events", batch.toString()))) {
                    assertEquals("applied", l.get("status"), "nothing is later than 10 min: " + l);
                    rebuilt++;
                }
            }
            assertTrue(rebuilt > 10, "out-of-order events needed a rebuild: " + rebuilt);
            var clock = server.post("/api/clock", "{\"until\":\"" + until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            assertEquals(expected, Outcome.findings(server));
            assertEquals(0L, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS,
                    pm.monitor.store.schema.Tables.EVENTS.FLAG.isNotNull()));

            assertEquals(Outcome.kpis(replay.kpis()), Outcome.kpis(server));
        }
    }

    @Test
    @DisplayName("An event exactly 10 min behind the clock is applied; one 10 min 1 s behind is stored and flagged")
    void bothSidesOfTheLimit() {
        try (TestServer server = TestServer.start("events")) {
            late(server.post("/api/events", String.join("\n",
                    received("r1", "T1", "2026-03-02T09:00:00+08:00"),
                    received("r2", "T2", "2026-03-02T09:00:00+08:00"))));
            var clock = server.post("/api/clock", "{\"until\":\"2026-03-02T11:10:00+08:00\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            assertEquals(new TreeSet<>(List.of("T1", "T2")), subjects(server, "complaint.contact-2h", "violation"));

            // Stamped at its deadline, it meets it (taken in event-time order): the violation goes.
            List<Map<String, Object>> exactly = late(server.post("/api/events",
                    contacted("c1", "T1", "2026-03-02T11:00:00+08:00")));
            assertEquals(1, exactly.size(), exactly.toString());
            assertEquals("c1", exactly.get(0).get("id"));
            assertEquals("PT10M", exactly.get(0).get("lateBy"));
            assertEquals("applied", exactly.get(0).get("status"));

            List<Map<String, Object>> over = late(server.post("/api/events",
                    contacted("c2", "T2", "2026-03-02T10:59:59+08:00")));
            assertEquals(1, over.size(), over.toString());
            assertEquals("c2", over.get(0).get("id"));
            assertEquals("PT10M1S", over.get(0).get("lateBy"));
            assertEquals("flagged", over.get(0).get("status"));
            server.drain();

            assertEquals(new TreeSet<>(List.of("T2")), subjects(server, "complaint.contact-2h", "violation"),
                    "c1 applied, c2 not");
            var flags = server.app().database().dsl().select(pm.monitor.store.schema.Tables.EVENTS.ID,
                            pm.monitor.store.schema.Tables.EVENTS.FLAG, pm.monitor.store.schema.Tables.EVENTS.LATE_BY_MS)
                    .from(pm.monitor.store.schema.Tables.EVENTS)
                    .where(pm.monitor.store.schema.Tables.EVENTS.ID.in("c1", "c2"))
                    .orderBy(pm.monitor.store.schema.Tables.EVENTS.ID).fetch();
            assertEquals("c1", flags.get(0).value1());
            assertEquals(null, flags.get(0).value2());
            assertEquals(600_000L, flags.get(0).value3());
            assertEquals("c2", flags.get(1).value1());
            assertEquals("late", flags.get(1).value2());
            assertEquals(601_000L, flags.get(1).value3());
        }
    }

    @Test
    @DisplayName("A contact 7 min late, after its deadline's violation, withdraws the violation, lists it, and equals the replay in time order")
    @SuppressWarnings("unchecked")
    void lateContactWithdrawsTheViolation() {
        try (TestServer server = TestServer.start("events")) {
            List<String> sent = new ArrayList<>(List.of(
                    received("r1", "T1", "2026-03-02T09:00:00+08:00"),
                    call("x1", "2026-03-02T11:05:00+08:00")));
            assertEquals(List.of(), late(server.post("/api/events", String.join("\n", sent))));
            server.drain();
            String violation = violationId(server, "T1");
            assertEquals(new TreeSet<>(List.of("T1")), subjects(server, "complaint.contact-2h", "warning"));

            String contact = contacted("c1", "T1", "2026-03-02T10:58:00+08:00");
            sent.add(contact);
            List<Map<String, Object>> late = late(server.post("/api/events", contact));
            assertEquals(1, late.size(), late.toString());
            assertEquals("c1", late.get(0).get("id"));
            assertEquals("PT7M", late.get(0).get("lateBy"));
            assertEquals("applied", late.get(0).get("status"));
            assertTrue(((Number) late.get(0).get("review")).intValue() >= 1, late.toString());
            server.drain();

            assertEquals(new TreeSet<>(), subjects(server, "complaint.contact-2h", "violation"));
            assertEquals(new TreeSet<>(List.of("T1")), subjects(server, "complaint.contact-2h", "warning"),
                    "the 10:30 warning came before the contact and stays");
            var row = server.app().database().dsl().selectFrom(pm.monitor.store.schema.Tables.FINDINGS)
                    .where(pm.monitor.store.schema.Tables.FINDINGS.ID.eq(violation)).fetchOne();
            assertNotNull(row.getWithdrawnAt(), "kept, withdrawn");
            assertTrue(row.getWithdrawnReason().contains("c1"), row.getWithdrawnReason());

            List<Map<String, Object>> items = review(server, "C1");
            assertEquals(1, items.size(), items.toString());
            assertEquals("c1", items.get(0).get("id"));
            assertEquals("applied", items.get(0).get("status"));
            List<Map<String, Object>> changes = (List<Map<String, Object>>) items.get(0).get("changes");
            assertTrue(changes.stream().anyMatch(c -> "withdrawn".equals(c.get("change"))
                    && violation.equals(((Map<String, Object>) c.get("finding")).get("id"))), changes.toString());
            assertEquals(List.of(), review(server, "C2"), "filtered by community");

            assertEquals(replayed(sent, Instant.parse("2026-03-02T03:05:00Z")), Outcome.findings(server));
        }
    }

    @Test
    @DisplayName("A contact 15 min late is stored and flagged, not applied; the review names the violation it would withdraw; a restart keeps it so")
    @SuppressWarnings("unchecked")
    void tooLateIsFlaggedReviewedAndSurvivesARestart() {
        TestServer server = TestServer.start("events");
        try {
            assertEquals(List.of(), late(server.post("/api/events", String.join("\n",
                    received("r1", "T1", "2026-03-02T09:00:00+08:00"),
                    received("r2", "T2", "2026-03-02T10:30:00+08:00"),
                    call("x1", "2026-03-02T11:05:00+08:00")))));
            server.drain();
            String violation = violationId(server, "T1");

            List<Map<String, Object>> late = late(server.post("/api/events",
                    contacted("c1", "T1", "2026-03-02T10:50:00+08:00")));
            assertEquals(1, late.size(), late.toString());
            assertEquals("flagged", late.get(0).get("status"));
            assertEquals("PT15M", late.get(0).get("lateBy"));
            assertTrue(((Number) late.get(0).get("review")).intValue() >= 1, late.toString());
            server.drain();

            assertEquals(violation, violationId(server, "T1"), "not applied: the violation stays live");
            assertEquals(1, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS,
                    pm.monitor.store.schema.Tables.EVENTS.ID.eq("c1")
                            .and(pm.monitor.store.schema.Tables.EVENTS.FLAG.eq("late"))), "stored, flagged");
            List<Map<String, Object>> items = review(server, "C1");
            assertEquals(1, items.size(), items.toString());
            assertEquals("flagged", items.get(0).get("status"));
            List<Map<String, Object>> changes = (List<Map<String, Object>>) items.get(0).get("changes");
            assertTrue(changes.stream().anyMatch(c -> "would-withdraw".equals(c.get("change"))
                    && violation.equals(((Map<String, Object>) c.get("finding")).get("id"))), changes.toString());
            assertFalse(changes.stream().anyMatch(c -> ((Map<String, Object>) c.get("finding")).get("subject")
                    .equals("T2")), "T2 is not touched by c1: " + changes);

            // The engine knows nothing of c1: T1 is still uncontacted, so a real contact now is taken.
            TreeSet<String> before = Outcome.findings(server);
            server = server.restart(Rules.dir(), "events");
            server.drain();
            assertEquals(before, Outcome.findings(server), "the restart skips the flagged event");
            assertEquals(violation, violationId(server, "T1"));
            assertEquals(1, review(server, "C1").size());

            // After the restart the clock is the latest event's (11:05): the 12:00 deadline of T2
            // passes with the next event, as it would have without the restart.
            assertEquals(List.of(), late(server.post("/api/events", call("x2", "2026-03-02T12:40:00+08:00"))));
            server.drain();
            assertEquals(new TreeSet<>(List.of("T1", "T2")), subjects(server, "complaint.contact-2h", "violation"));
        } finally {
            server.close();
        }
    }
}
