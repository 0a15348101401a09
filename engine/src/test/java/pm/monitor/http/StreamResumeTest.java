package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** GET /api/stream: a client that reconnects with Last-Event-ID gets what it missed, restarts included, once. */
@Tag("server")
class StreamResumeTest {
    private final HttpClient http = HttpClient.newHttpClient();

    /** One server-sent event: its id (or null) and data. */
    record Sse(String id, String event, String data) {
    }

    /** Reads a stream's events on a thread of its own. */
    private final class Reader implements AutoCloseable {
        final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        final HttpResponse<InputStream> response;

        Reader(TestServer server, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/api/stream")));
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            Thread t = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String id = null;
                    String event = null;
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("event: ")) {
                            event = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            events.add(new Sse(id, event, line.substring(6)));
                            id = null;
                            event = null;
                        }
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "sse-reader");
            t.setDaemon(true);
            t.start();
        }

        /** The next finding whose data contains {@code text}, skipping others; null after the timeout. */
        Sse next(String text) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                Sse e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && "finding".equals(e.event()) && e.data().contains(text)) {
                    return e;
                }
            }
            return null;
        }

        /** Every finding that arrives within {@code seconds}. */
        List<Sse> findings(int seconds) throws InterruptedException {
            List<Sse> out = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                Sse e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && "finding".equals(e.event())) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            response.body().close();
        }
    }

    @Test
    @DisplayName("a finding made while the client was away, and across a restart, is sent when it reconnects with Last-Event-ID; none twice")
    void resumeFromLastEventId() throws Exception {
        TestServer server = TestServer.start("events");
        try {
            String warningId;
            try (Reader live = new Reader(server, null)) {
                assertEquals(202 / 100, server.post("/api/events", """
                        {"id":"e1","type":"ticket.received","at":"2026-03-02T09:00:00+08:00","community":"C001","ticket":"T1","kind":"complaint","channel":"phone","household":"1-1-101","category":"service","receivedBy":"a1"}
                        """).statusCode() / 100);
                server.post("/api/clock", "{\"until\":\"2026-03-02T10:31:00+08:00\"}");
                Sse warning = live.next("\"kind\":\"warning\"");
                assertNotNull(warning, "the warning of 10:30 arrives live");
                assertNotNull(warning.id(), "a finding's event carries its id");
                assertTrue(warning.data().contains("\"id\":\"" + warning.id() + "\""));
                warningId = warning.id();
            }
            // away: the violation of 11:00 is made, then the service restarts
            server.post("/api/clock", "{\"until\":\"2026-03-02T11:01:00+08:00\"}");
            server = server.restart(Rules.dir(), "events");
            try (Reader back = new Reader(server, warningId)) {
                List<Sse> got = back.findings(5);
                assertTrue(got.stream().anyMatch(e -> e.data().contains("\"kind\":\"violation\"")
                        && e.data().contains("complaint.contact-2h")), got.toString());
                assertTrue(got.stream().noneMatch(e -> warningId.equals(e.id())), "not the one it had: " + got);
                assertEquals(got.size(), got.stream().map(Sse::id).distinct().count(), "none twice: " + got);
            }
        } finally {
            server.close();
        }
    }
}
