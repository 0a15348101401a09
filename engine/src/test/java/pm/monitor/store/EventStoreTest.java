package pm.monitor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
            Map<String, Long> first = store.insert(parse(RECEIVED, CALL));
            assertEquals(2, first.size());
            assertTrue(first.get("e1") < first.get("e2"), "stored in the order of the list: " + first);

            Map<String, Long> again = store.insert(parse(CALL, OTHER, RECEIVED));
            assertEquals(List.of("e3"), List.copyOf(again.keySet()), "only the new event is new");
            assertTrue(again.get("e3") > first.get("e2"));

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
}
