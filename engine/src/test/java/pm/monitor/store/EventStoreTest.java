package pm.monitor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;
import pm.monitor.support.TestDatabase;

/**
 * The store writes events with COPY's text format: the characters that format gives a meaning
 * (backslash, tab, newline) must come back as they were sent, and duplicates must still be told
 * apart from new events.
 */
class EventStoreTest {
    private static final String RECEIVED = "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"community\":\"C1\",\"ticket\":\"T\\\\1\\t\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\","
            + "\"household\":\"1-1-101\",\"receivedBy\":\"a1\","
            + "\"summary\":\"业主说 \\\"漏水\\\"\\\\n第二行\\n\\ttab \\\\N end\\\\\"}";
    /** With a raw tab between tokens. */
    private static final String CALL = "{\"id\":\"e2\",\t\"type\":\"call.answered\",\"at\":\"2026-03-02T08:59:00+08:00\","
            + "\"community\":\"C1\",\"call\":\"K1\",\"line\":\"400\",\"rings\":2}";
    private static final String OTHER = "{\"id\":\"e3\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:01:00+08:00\","
            + "\"community\":\"C1\",\"call\":\"K2\",\"line\":\"400\",\"rings\":5}";

    private static List<EventStore.Stored> parse(String... lines) {
        List<EventStore.Stored> out = new ArrayList<>();
        for (String line : lines) {
            new EventReader().readLine(line, 1, 1, new EventReader.Sink() {
                @Override
                public void accept(Event event, int l, String text) {
                    out.add(new EventStore.Stored(event, text));
                }

                @Override
                public void reject(Rejection r) {
                    throw new AssertionError(r.toString());
                }
            });
        }
        return out;
    }

    @Test
    @DisplayName("COPY's special characters round-trip; sequence numbers follow the list; duplicates are not new")
    void roundTrip() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            EventStore store = new EventStore(db.dsl());
            long[] first = store.insert(parse(RECEIVED, CALL)).seqs();
            assertTrue(first[0] > 0 && first[0] < first[1], "stored in the order of the list: " + Arrays.toString(first));

            long[] again = store.insert(parse(CALL, OTHER, RECEIVED)).seqs();
            assertEquals(0, again[0], "a duplicate is not new");
            assertEquals(0, again[2], "a duplicate is not new");
            assertTrue(again[1] > first[1], "only the new event is new: " + Arrays.toString(again));

            List<String> bodies = store.ofTicket("C1", "T\\1\t");
            assertEquals(1, bodies.size(), "the ticket id with a backslash and a tab is stored as sent");
            @SuppressWarnings("unchecked")
            Map<String, Object> stored = (Map<String, Object>) Json.parse(bodies.get(0));
            @SuppressWarnings("unchecked")
            Map<String, Object> sent = (Map<String, Object>) Json.parse(RECEIVED);
            assertEquals(sent, stored);
            assertEquals("业主说 \"漏水\"\\n第二行\n\ttab \\N end\\", stored.get("summary"));

            List<String> replayed = new ArrayList<>();
            store.forEach(e -> replayed.add(e.id()));
            assertEquals(List.of("e2", "e1", "e3"), replayed, "replay order: by event time");
            assertEquals(3, store.count());
        }
    }

    /** The event of {@code line}, stored with another text: a value the reader let through, as if it had a gap. */
    private static EventStore.Stored withText(String line, String text) {
        return new EventStore.Stored(parse(line).get(0).event(), text);
    }

    @Test
    @DisplayName("An event PostgreSQL refuses is found alone among many, nothing is stored, and the others store on the next try")
    void refusedAlone() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            EventStore store = new EventStore(db.dsl());
            List<EventStore.Stored> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String line = OTHER.replace("\"e3\"", "\"g" + i + "\"");
                batch.add(i == 41 || i == 260
                        ? withText(line, line.replace("\"rings\":5", "\"rings\":5,\"x\":{\"a\":[1e131072]}"))
                        : withText(line, line));
            }
            List<EventStore.Stored> lookups = List.of(withText(CALL, CALL.replace("\"rings\":2", "\"x\":1e-16384")));
            EventStore.Refused refused = assertThrows(EventStore.Refused.class, () -> store.insert(batch, lookups));
            assertEquals(List.of(41, 260, 300), refused.refusals().stream().map(EventStore.Refusal::position).toList());
            for (EventStore.Refusal r : refused.refusals()) {
                assertTrue(r.reason().startsWith("PostgreSQL cannot store this event: value overflows numeric format"),
                        r.reason());
            }
            assertEquals(0, store.count(), "nothing stored");

            List<EventStore.Stored> rest = new ArrayList<>(batch);
            rest.remove(260);
            rest.remove(41);
            EventStore.Result result = store.insert(rest);
            assertEquals(298, result.stored());
            assertEquals(298, store.count());
        }
    }

    @Test
    @DisplayName("Ids are unique per community: a resend is a duplicate, another event under a stored id is refused, another community's is stored")
    void idsPerCommunity() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            EventStore store = new EventStore(db.dsl());
            store.insert(parse(RECEIVED, CALL));

            // the same content written otherwise (members in another order, spaces, 2.0 for 2) is a duplicate
            String resent = "{ \"rings\" : 2.0, \"line\":\"400\",\"call\":\"K1\",\"community\":\"C1\","
                    + "\"at\":\"2026-03-02T08:59:00+08:00\",\"type\":\"call.answered\",\"id\":\"e2\"}";
            String other = CALL.replace("\"K1\"", "\"K9\"");
            String elsewhere = OTHER.replace("\"C1\"", "\"C2\"").replace("\"e3\"", "\"e2\"");
            EventStore.Result r = store.insert(List.of(withText(CALL, resent), withText(elsewhere, elsewhere)));
            assertEquals(0, r.seqs()[0], "a resend is not stored again");
            assertTrue(r.seqs()[1] > 0, "the same id in another community is another event");

            EventStore.Refused refused = assertThrows(EventStore.Refused.class, () -> store.insert(
                    List.of(withText(OTHER, OTHER), withText(other, other))));
            assertEquals(1, refused.refusals().size());
            EventStore.Refusal conflict = refused.refusals().get(0);
            assertEquals(1, conflict.position());
            assertEquals("id", conflict.field());
            assertTrue(conflict.reason().startsWith("id already used by a different event (call.answered at "
                    + "2026-03-02T08:59:00+08:00, stored before)"), conflict.reason());
            assertEquals(3, store.count(), "nothing of a refused batch is stored");

            // lookups: what is stored under an event's community and id, compared, nothing stored
            EventStore.Result looked = store.insert(List.of(), List.of(withText(CALL, resent), withText(other, other),
                    withText(OTHER, OTHER)));
            assertTrue(looked.lookups()[0].same());
            assertFalse(looked.lookups()[1].same());
            assertEquals("call.answered", looked.lookups()[1].type());
            assertNull(looked.lookups()[2]);
            assertEquals(3, store.count());
            assertEquals(1, store.insert(List.of(withText(OTHER, OTHER))).stored());
        }
    }
}
