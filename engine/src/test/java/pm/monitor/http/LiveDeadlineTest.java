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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.finding.Json;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/** In serve, a deadline passes on the wall clock with nothing else arriving. */
@Tag("server")
class LiveDeadlineTest {

    @Test
    @DisplayName("A complaint nobody contacts gets its violation at its deadline, within a second, with no further event")
    @SuppressWarnings("unchecked")
    void deadlinePassesOnTheWallClock(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of("complaint.contact-2h.limit", "3s"));
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "wall")) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(server.url("/api/stream")))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            CompletableFuture<Map<String, Object>> violation = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data: ") && line.contains("\"complaint.contact-2h\"")
                                && line.contains("\"violation\"")) {
                            Map<String, Object> f = (Map<String, Object>) Json.parse(line.substring(6));
                            f.put("seenAt", Instant.now().toString());
                            return f;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Instant received = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String at = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(received.atZone(ZoneId.of("Asia/Shanghai")));
            HttpResponse<String> r = server.post("/api/events", "{\"id\":\"live-1\",\"type\":\"ticket.received\",\"at\":\""
                    + at + "\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
                    + "\"category\":\"service\",\"receivedBy\":\"a1\"}");
            assertEquals(1, TestServer.json(r).get("accepted"), r.body());

            Map<String, Object> f = violation.get(20, TimeUnit.SECONDS);
            assertNotNull(f);
            Instant due = received.plusSeconds(3);
            assertEquals(due, Instant.parse(String.valueOf(
                    java.time.OffsetDateTime.parse((String) f.get("dueAt")).toInstant())));
            Duration late = Duration.between(due, Instant.parse((String) f.get("seenAt")));
            assertTrue(!late.isNegative() && late.compareTo(Duration.ofSeconds(1)) <= 0,
                    "seen " + late.toMillis() + " ms after the deadline");
            stream.body().close();
        }
    }
}
