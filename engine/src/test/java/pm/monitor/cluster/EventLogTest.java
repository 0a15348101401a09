package pm.monitor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.engine.Ingest;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;

/** What a sender is told when Kafka cannot take its events: unavailable (503), never acknowledged. */
@Tag("slow")
class EventLogTest {

    @Test
    @DisplayName("with no Kafka to reach, a request fails as unavailable (503) within the producer's 10 s, nothing acknowledged")
    void kafkaAway() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<Ingest.Item> items = new ArrayList<>();
        new EventReader().read("{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
                + "\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"repair\",\"channel\":\"phone\",\"receivedBy\":\"a1\"}\n", new EventReader.Sink() {
                    @Override
                    public void accept(Event event, int line, String text) {
                        items.add(new Ingest.Item(event, line, line, text));
                    }

                    @Override
                    public void reject(Rejection r) {
                        throw new AssertionError(r.toString());
                    }
                });
        assertEquals(1, items.size());
        long t0 = System.nanoTime();
        try (EventLog log = new EventLog("127.0.0.1:" + port)) {
            CompletionException e = assertThrows(CompletionException.class, () -> log.submit(items, List.of()).join());
            assertInstanceOf(Ingest.Unavailable.class, e.getCause());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 40_000, "answered within the producer's timeouts: " + ms + " ms");
    }
}
