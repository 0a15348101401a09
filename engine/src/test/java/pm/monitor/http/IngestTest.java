package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** POST /api/events against a real PostgreSQL. */
@Tag("server")
class IngestTest {

    static final String GOOD_AND_BAD = String.join("\n",
            "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\",\"crmRef\":\"X-7\"}",
            "{\"id\":\"e2\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:30:00+08:00\",\"community\":\"C1\"}",
            "{\"id\":\"e3\",\"type\":\"ticket.replied\",\"at\":\"2026-03-02T10:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"method\":\"fax\"}",
            "not json at all",
            "",
            "{\"id\":\"e4\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:40:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"by\":\"s1\"}",
            "{\"id\":\"e5\",\"type\":\"ticket.closed\",\"at\":\"2026-03-02T11:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"NOPE\"}",
            "{\"id\":\"e6\",\"type\":\"ticket.teleported\",\"at\":\"2026-03-02T11:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\"}",
            "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\",\"crmRef\":\"X-7\"}");

    @Test
    @DisplayName("A batch mixing good and bad lines keeps the good and names each bad one by line, id, field and reason")
    @SuppressWarnings("unchecked")
    void goodKeptBadNamed() {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<String> r = server.post("/api/events", GOOD_AND_BAD);
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals(2, body.get("accepted"));
            assertEquals(1, body.get("duplicates"), "e1 sent twice counts once");
            List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
            Map<Integer, String> fieldByLine = rejected.stream().collect(Collectors.toMap(
                    x -> (Integer) x.get("line"), x -> String.valueOf(x.get("field"))));
            assertEquals(Map.of(2, "ticket", 3, "method", 4, "null", 7, "ticket", 8, "type"), fieldByLine);
            Map<String, Object> unknownTicket = rejected.stream().filter(x -> x.get("line").equals(7)).findFirst().get();
            assertEquals("e5", unknownTicket.get("id"));
            assertTrue(String.valueOf(unknownTicket.get("reason")).contains("unknown ticket NOPE"));
            Map<String, Object> badEnum = rejected.stream().filter(x -> x.get("line").equals(3)).findFirst().get();
            assertTrue(String.valueOf(badEnum.get("reason")).contains("\"fax\""), badEnum.toString());

            HttpResponse<String> again = server.post("/api/events", GOOD_AND_BAD);
            assertEquals(0, TestServer.json(again).get("accepted"));
            assertEquals(3, TestServer.json(again).get("duplicates"));
            long stored = server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS);
            assertEquals(2, stored);
            String body1 = server.app().database().dsl().select(pm.monitor.store.schema.Tables.EVENTS.BODY)
                    .from(pm.monitor.store.schema.Tables.EVENTS).where(pm.monitor.store.schema.Tables.EVENTS.ID.eq("e1"))
                    .fetchOne().value1().data();
            assertTrue(body1.contains("crmRef"), "unknown extra fields are kept: " + body1);
        }
    }

    @Test
    @DisplayName("A JSON array body works like NDJSON, and lines are those of the elements")
    void jsonArray() {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<String> r = server.post("/api/events", "[\n"
                    + "{\"id\":\"a1\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K1\",\"rings\":2},\n"
                    + "{\"id\":\"a2\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K2\",\"rings\":\"two\"}\n"
                    + "]");
            Map<String, Object> body = TestServer.json(r);
            assertEquals(1, body.get("accepted"));
            @SuppressWarnings("unchecked")
            Map<String, Object> bad = ((List<Map<String, Object>>) body.get("rejected")).get(0);
            assertEquals(3, bad.get("line"));
            assertEquals("rings", bad.get("field"));
        }
    }

    @Test
    @DisplayName("After a restart every acknowledged event is still there and no finding is emitted twice")
    void restartKeepsEventsAndFindings() {
        TestServer server = TestServer.start("events");
        try {
            server.post("/api/events", String.join("\n",
                    "{\"id\":\"r1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
                    "{\"id\":\"r2\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:05:00+08:00\",\"community\":\"C1\",\"call\":\"K1\"}",
                    // numbers PostgreSQL gives back written out, 1000 digits: the rebuild still reads them;
                    // C1's own event moves its clock past T1's deadlines (another community's would not)
                    "{\"id\":\"r3\",\"type\":\"call.answered\",\"at\":\"2026-03-02T12:00:00+08:00\",\"community\":\"C1\",\"call\":\"K2\",\"rings\":1,"
                            + "\"x\":1e999,\"y\":[-1e-1000]}"));
            server.drain();
            Set<String> before = ids(server.findings(""));
            assertTrue(before.size() >= 3, "missed call, contact warning and violation: " + before);
            server = server.restart(Rules.dir(), "events");
            server.drain();
            assertEquals(3, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS));
            assertEquals(before, ids(server.findings("")));
            assertEquals(before.size(), server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.FINDINGS));
            HttpResponse<String> r = server.post("/api/events",
                    "{\"id\":\"r4\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T13:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\"}");
            assertEquals(1, TestServer.json(r).get("accepted"), "the rebuilt state knows ticket T1: " + r.body());
        } finally {
            server.close();
        }
    }

    private static final String AT = "\"at\":\"2026-03-02T09:00:00+08:00\"";

    @SuppressWarnings("unchecked")
    static Map<Integer, Map<String, Object>> rejectedByLine(HttpResponse<String> r) {
        return ((List<Map<String, Object>>) TestServer.json(r).get("rejected")).stream()
                .collect(Collectors.toMap(x -> (Integer) x.get("line"), x -> x));
    }

    @Test
    @DisplayName("A reused id with other content is refused as a conflict naming the stored event; a resend is a duplicate; ids are per community")
    void reusedIdIsAConflict() {
        try (TestServer server = TestServer.start("events")) {
            String receipt = "{\"id\":\"e1\",\"type\":\"ticket.received\"," + AT + ",\"community\":\"C1\",\"ticket\":\"T1\","
                    + "\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\",\"n\":2}";
            String call = "{\"id\":\"k1\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:05:00+08:00\",\"community\":\"C1\",\"call\":\"K1\"}";
            HttpResponse<String> first = server.post("/api/events", receipt + "\n" + call);
            assertEquals(2, TestServer.json(first).get("accepted"), first.body());

            HttpResponse<String> second = server.post("/api/events", String.join("\n",
                    // e1 again with other content: a receipt of another ticket under a stored id
                    "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T10:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T9\","
                            + "\"kind\":\"repair\",\"channel\":\"app\",\"receivedBy\":\"a1\"}",
                    // an event for the ticket that receipt named: it was never received
                    "{\"id\":\"e9\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T10:10:00+08:00\",\"community\":\"C1\",\"ticket\":\"T9\"}",
                    // e1 in another community: another event
                    receipt.replace("\"C1\"", "\"C2\""),
                    // k1 again, another call
                    call.replace("\"K1\"", "\"K2\"")));
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(1, TestServer.json(second).get("accepted"), second.body());
            assertEquals(0, TestServer.json(second).get("duplicates"), second.body());
            Map<Integer, Map<String, Object>> rejected = rejectedByLine(second);
            assertEquals(Set.of(1, 2, 4), rejected.keySet(), second.body());
            String conflict = "id already used by a different event (ticket.received at 2026-03-02T09:00:00+08:00, "
                    + "stored before); an event sent again must be sent unchanged, another event needs another id";
            assertEquals(Map.of("line", 1, "index", 1, "id", "e1", "field", "id", "reason", conflict), rejected.get(1));
            assertEquals("ticket", rejected.get(2).get("field"), "T9 was never received: " + rejected.get(2));
            assertTrue(String.valueOf(rejected.get(4).get("reason")).contains("call.missed at 2026-03-02T09:05:00+08:00"),
                    rejected.get(4).toString());
            // e1 again as a second receipt of T1 with other content: refused by admission ("already
            // received") and found stored with other content, so a conflict too
            HttpResponse<String> again = server.post("/api/events", receipt.replace("\"n\":2", "\"n\":3"));
            assertEquals(Map.of("line", 1, "index", 1, "id", "e1", "field", "id", "reason", conflict),
                    rejectedByLine(again).get(1), again.body());

            // resends: as sent, and written otherwise (members reordered, spaces, 2.0 for 2)
            HttpResponse<String> third = server.post("/api/events", String.join("\n", receipt,
                    " { \"n\" : 2.0, \"receivedBy\":\"a1\",\"category\":\"service\",\"channel\":\"phone\",\"kind\":\"complaint\","
                            + "\"ticket\":\"T1\",\"community\":\"C1\"," + AT + ",\"type\":\"ticket.received\",\"id\":\"e1\"}",
                    call));
            assertEquals(Map.of("accepted", 0, "duplicates", 3, "rejected", List.of(), "late", List.of()), TestServer.json(third));

            // one id twice in one request with other content: the first is taken, the second refused
            HttpResponse<String> fourth = server.post("/api/events", String.join("\n",
                    call.replace("k1", "k2").replace("K1", "K3"), call.replace("k1", "k2").replace("K1", "K4")));
            assertEquals(1, TestServer.json(fourth).get("accepted"), fourth.body());
            Map<String, Object> twice = rejectedByLine(fourth).get(2);
            assertEquals("id", twice.get("field"));
            assertTrue(String.valueOf(twice.get("reason")).startsWith("id already used by a different event on line 1 of this request"),
                    twice.toString());

            var dsl = server.app().database().dsl();
            var events = pm.monitor.store.schema.Tables.EVENTS;
            assertEquals(4, dsl.fetchCount(events));
            assertEquals(2, dsl.fetchCount(events, events.ID.eq("e1")), "e1 of C1 and e1 of C2");
            assertEquals("T1", dsl.select(events.TICKET).from(events).where(events.ID.eq("e1"), events.COMMUNITY.eq("C1"))
                    .fetchOne().value1(), "the stored event is unchanged");
            assertEquals(0, dsl.fetchCount(events, events.TICKET.eq("T9")));
        }
    }

    @Test
    @DisplayName("Identifiers up to 200 characters make findings that are stored (subjects up to building@date); 201 is the line's rejection")
    void longIdentifiers() {
        try (TestServer server = TestServer.start("events")) {
            String call = "K".repeat(200);
            String building = "楼".repeat(200);
            HttpResponse<String> r = server.post("/api/events", String.join("\n",
                    "{\"id\":\"c1\",\"type\":\"call.missed\"," + AT + ",\"community\":\"C1\",\"call\":\"" + call + "\"}",
                    "{\"id\":\"c2\",\"type\":\"call.missed\"," + AT + ",\"community\":\"C1\",\"call\":\"" + "K".repeat(301) + "\"}",
                    "{\"id\":\"b1\",\"type\":\"building.registered\"," + AT + ",\"community\":\"C1\",\"building\":\"" + building + "\"}",
                    "{\"id\":\"b2\",\"type\":\"building.registered\"," + AT + ",\"community\":\"C1\",\"building\":\"" + "楼".repeat(201) + "\"}"));
            assertEquals(2, TestServer.json(r).get("accepted"), r.body());
            Map<Integer, Map<String, Object>> rejected = rejectedByLine(r);
            assertEquals(Set.of(2, 4), rejected.keySet());
            assertEquals(Map.of("line", 2, "index", 2, "id", "c2", "field", "call",
                    "reason", "is 301 characters long; the limit is 200"), rejected.get(2));
            assertEquals(Map.of("line", 4, "index", 4, "id", "b2", "field", "building",
                    "reason", "is 201 characters long; the limit is 200"), rejected.get(4));

            HttpResponse<String> clock = server.post("/api/clock", "{\"until\":\"2026-03-05T00:00:00+08:00\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            var dsl = server.app().database().dsl();
            var findings = pm.monitor.store.schema.Tables.FINDINGS;
            assertEquals(1, dsl.fetchCount(findings, findings.SUBJECT.eq(call)), "the missed call's finding is stored");
            assertEquals(1, dsl.fetchCount(findings, findings.SUBJECT.eq(building + "@2026-03-03"), findings.KIND.eq("violation")),
                    "the building's unpatrolled day is stored (a 211-character subject)");
        }
    }

    /**
     * One request of {@code n} good call events, ids from {@code prefix}, in communities of its own
     * and in time order: never behind their communities' clocks, so no rebuild slows the test.
     */
    private static String calls(String prefix, int n) {
        StringBuilder b = new StringBuilder();
        String community = "C" + prefix.replaceAll("[^A-Za-z0-9]", "");
        for (int i = 0; i < n; i++) {
            b.append("{\"id\":\"").append(prefix).append(i).append("\",\"type\":\"call.answered\",")
                    .append("\"at\":\"").append(java.time.OffsetDateTime.parse("2026-03-02T09:00:00+08:00").plusSeconds(i)
                            .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .append("\",\"community\":\"").append(community).append(i % 3).append("\",\"call\":\"")
                    .append(prefix).append(i).append("\",\"rings\":2}\n");
        }
        return b.toString();
    }

    @Test
    @DisplayName("One event with a number PostgreSQL cannot store, among concurrent good requests: refused alone by line and reason, nobody gets 503")
    @SuppressWarnings("unchecked")
    void oneBadNumberHoldsNobodyBack() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            String[] bad = {"\"x\":1e131072", "\"x\":{\"deep\":[1,{\"y\":1e-16384}]}", "\"z\":[1e2147483648]"};
            int rounds = 3;
            int good = 6;
            long expected = 0;
            for (int round = 0; round < rounds; round++) {
                List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
                String mixed = calls("m" + round + "-", 6).replace(",\"rings\":2}\n{\"id\":\"m" + round + "-2\"",
                        ",\"rings\":2," + bad[0] + "}\n{\"id\":\"m" + round + "-2\"");
                String[] lines = mixed.split("\n");
                lines[3] = lines[3].replace(",\"rings\":2}", ",\"rings\":2," + bad[1] + "}");
                lines[4] = lines[4].replace(",\"rings\":2}", ",\"rings\":2," + bad[2] + "}");
                String badRequest = String.join("\n", lines);
                for (int g = 0; g < good; g++) {
                    String body = calls("g" + round + "-" + g + "-", 100);
                    if (g == good / 2) {
                        answers.add(send(server, badRequest));
                    }
                    answers.add(send(server, body));
                }
                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<String> a = answers.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(200, a.statusCode(), "round " + round + " request " + i + ": " + a.body());
                    Map<String, Object> body = TestServer.json(a);
                    if (i == good / 2) {
                        assertEquals(3, body.get("accepted"), a.body());
                        List<Map<String, Object>> rejected = (List<Map<String, Object>>) body.get("rejected");
                        assertEquals(List.of(2, 4, 5), rejected.stream().map(x -> x.get("line")).toList(), a.body());
                        assertEquals(List.of("x", "x", "z"), rejected.stream().map(x -> x.get("field")).toList(), a.body());
                        assertEquals("m" + round + "-1", rejected.get(0).get("id"));
                        for (Map<String, Object> x : rejected) {
                            assertTrue(String.valueOf(x.get("reason")).contains("digits written out"), x.toString());
                        }
                        expected += 3;
                    } else {
                        assertEquals(100, body.get("accepted"), a.body());
                        expected += 100;
                    }
                }
            }
            var dsl = server.app().database().dsl();
            assertEquals(expected, dsl.fetchCount(pm.monitor.store.schema.Tables.EVENTS), "every good event stored");
            HttpResponse<String> health = server.get("/api/health");
            assertEquals("ok", TestServer.json(health).get("status"), health.body());
        }
    }

    private static java.util.concurrent.CompletableFuture<HttpResponse<String>> send(TestServer server, String body) {
        return server.client().sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/events")))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/x-ndjson")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Lines read as the HTTP handler reads them, as ingest items. */
    private static List<pm.monitor.engine.Ingest.Item> items(String body) {
        List<pm.monitor.engine.Ingest.Item> items = new java.util.ArrayList<>();
        new pm.monitor.event.EventReader().read(body, new pm.monitor.event.EventReader.Sink() {
            @Override
            public void accept(pm.monitor.event.Event event, int line, String text) {
                items.add(new pm.monitor.engine.Ingest.Item(event, line, line, text));
            }

            @Override
            public void reject(pm.monitor.event.Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        return items;
    }

    @Test
    @DisplayName("Defence in depth: an event the store refuses (a value the parser let through) is refused alone with PostgreSQL's reason; concurrent requests are stored")
    void storeRefusalIsolated() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            // the service's ingest, as the HTTP handler hands it parsed lines
            java.lang.reflect.Field f = pm.monitor.app.Application.class.getDeclaredField("ingest");
            f.setAccessible(true);
            pm.monitor.engine.Ingest ingest = (pm.monitor.engine.Ingest) f.get(server.app());
            List<pm.monitor.engine.Ingest.Item> mixed = new java.util.ArrayList<>(items(calls("s-", 5)));
            pm.monitor.engine.Ingest.Item one = mixed.get(2);
            // its text as stored holds what PostgreSQL refuses (as if the parser had a gap)
            mixed.set(2, new pm.monitor.engine.Ingest.Item(one.event(), one.line(), one.index(),
                    one.text().replace("\"rings\":2", "\"rings\":2,\"x\":1e131072")));
            List<java.util.concurrent.CompletableFuture<pm.monitor.engine.Ingest.Outcome>> outcomes = new java.util.ArrayList<>();
            for (int g = 0; g < 6; g++) {
                outcomes.add(ingest.submit(items(calls("t" + g + "-", 200)), List.of()));
                if (g == 2) {
                    outcomes.add(ingest.submit(mixed, List.of()));
                }
            }
            for (int i = 0; i < outcomes.size(); i++) {
                pm.monitor.engine.Ingest.Outcome o = outcomes.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (i == 3) {
                    assertEquals(4, o.accepted());
                    assertEquals(1, o.rejected().size(), o.rejected().toString());
                    pm.monitor.event.Rejection r = o.rejected().get(0);
                    assertEquals(3, r.line());
                    assertEquals("s-2", r.id());
                    assertEquals("PostgreSQL cannot store this event: value overflows numeric format", r.reason());
                } else {
                    assertEquals(200, o.accepted(), o.rejected().toString());
                }
            }
            assertEquals(6 * 200 + 4, server.app().database().dsl().fetchCount(pm.monitor.store.schema.Tables.EVENTS));
        }
    }

    static Set<String> ids(List<Map<String, Object>> findings) {
        return findings.stream().map(f -> (String) f.get("id")).collect(Collectors.toSet());
    }
}
