package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.app.Config;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * Issue 19.2: the link in a message starts with the dashboard's address as managers reach it
 * (serve's --public-url), not a localhost default; without one it is this server's own address
 * (and start-up warns), and a bad address is refused where it was given.
 */
@Tag("server")
class AlertLinkTest {

    private static final String COMPLAINT = "{\"id\":\"a1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"community\":\"C001\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
            + "\"household\":\"1-1-101\",\"category\":\"environment\",\"receivedBy\":\"a1\"}";

    @Test
    @DisplayName("with --public-url the message's link is <public-url>/alerts.html#<alert id>")
    @SuppressWarnings("unchecked")
    void linkFromPublicUrl() {
        try (TestServer server = TestServer.start("events", c -> c.withPublicUrl("https://monitor.example.com/pm"))) {
            var roster = server.request("POST", "/api/roster", Json.write(Map.of("community", "C001", "role", "supervisor",
                    "name", "sup", "channel", "webhook", "address", "http://127.0.0.1:9/C001")), "Content-Type", "application/json");
            assertEquals(201, roster.statusCode(), roster.body());
            server.post("/api/events", COMPLAINT);
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-02T12:00:00+08:00\"}").statusCode());
            server.drain();
            TestServer.await("a delivery", Duration.ofSeconds(20), () -> ((Number) TestServer.json(
                    server.get("/api/deliveries?channel=webhook")).get("total")).intValue() > 0);
            Map<String, Object> d = ((List<Map<String, Object>>) TestServer.json(server.get("/api/deliveries?channel=webhook"))
                    .get("items")).get(0);
            Map<String, Object> detail = TestServer.json(server.get("/api/deliveries/" + d.get("id")));
            Map<String, Object> payload = (Map<String, Object>) Json.parse((String) detail.get("payload"));
            assertEquals("https://monitor.example.com/pm/alerts.html#" + d.get("alert"), payload.get("url"));
        }
    }

    @Test
    @DisplayName("without --public-url the links name this server's port, not a fixed localhost:8080")
    void linkWithoutPublicUrl() {
        try (TestServer server = TestServer.start("events")) {
            assertEquals("http://localhost:" + server.app().port(), server.app().alerts().linkBase());
        }
    }

    @Test
    @DisplayName("a public-url that is not an http(s) address is refused with where it came from")
    void badPublicUrlRefused() {
        Config.Invalid e = assertThrows(Config.Invalid.class, () -> Config.builder()
                .set("public-url", "monitor.example.com", "--public-url").rulesOptional().build());
        assertTrue(e.getMessage().contains("--public-url: public-url must be an http(s) address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlertParameters.validate("public.url", "localhost"));
    }
}
