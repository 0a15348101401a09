package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * What the dashboard downloads is compressed for a browser that asks (issue 19.8: 1.2 MB on a
 * phone's first visit), and the live streams are not: a compressed event stream is held back by
 * the compressor and the live feed stalls.
 */
@Tag("server")
class DashboardCompressionTest {
    private static final Path DASHBOARD = Path.of("dashboard");

    private static HttpResponse<byte[]> gzipped(TestServer server, String path) throws Exception {
        return server.client().send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws Exception {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    @DisplayName("every page, style and script of the dashboard (ECharts included) comes gzip-encoded and decodes to the file's bytes")
    void filesAreGzipped() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DASHBOARD)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(js|css|html)$")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith(Path.of("vendor/echarts/echarts.min.js"))), files.toString());
        long plain = 0;
        long sent = 0;
        try (TestServer server = TestServer.start("events")) {
            for (Path file : files) {
                String path = "/" + DASHBOARD.relativize(file).toString().replace('\\', '/');
                HttpResponse<byte[]> r = gzipped(server, path);
                assertEquals(200, r.statusCode(), path);
                assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null), path + ": " + r.headers().map());
                byte[] expected = Files.readAllBytes(file);
                assertArrayEquals(expected, gunzip(r.body()), path + " decodes to the file");
                plain += expected.length;
                sent += r.body().length;
            }
            // without Accept-Encoding: the file as it is
            HttpResponse<byte[]> r = server.client().send(HttpRequest.newBuilder(URI.create(server.url("/js/app.js"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), r.headers().map().toString());
            assertArrayEquals(Files.readAllBytes(DASHBOARD.resolve("js/app.js")), r.body());
        }
        System.out.println("dashboard files: " + plain + " bytes, " + sent + " bytes gzip-encoded");
        assertTrue(sent * 2 < plain, "compressed to less than half: " + sent + " of " + plain);
    }

    @Test
    @DisplayName("the live streams are not encoded even when gzip is accepted, and a finding arrives at once")
    void streamsAreNotCompressed() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<InputStream> alerts = server.client().send(HttpRequest.newBuilder(
                            URI.create(server.url("/api/alerts/stream"))).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, alerts.statusCode());
            assertTrue(alerts.headers().firstValue("Content-Encoding").isEmpty(), alerts.headers().map().toString());
            alerts.body().close();

            HttpResponse<InputStream> stream = server.client().send(HttpRequest.newBuilder(
                            URI.create(server.url("/api/stream"))).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertTrue(stream.headers().firstValue("Content-Encoding").isEmpty(), stream.headers().map().toString());
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            var r = server.post("/api/events", "{\"id\":\"z1\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:00:00+08:00\","
                    + "\"community\":\"C001\",\"call\":\"K-gzip\",\"line\":\"400\"}");
            assertEquals(1, TestServer.json(r).get("accepted"), r.body());
            long posted = System.nanoTime();
            String finding = null;
            while (finding == null && System.nanoTime() - posted < Duration.ofSeconds(5).toNanos()) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("data: ") && line.contains("K-gzip")) {
                    finding = line;
                }
            }
            long ms = (System.nanoTime() - posted) / 1_000_000;
            assertTrue(finding != null, "the finding came through the stream within 5 s");
            assertTrue(finding.contains("call.three-rings"), finding);
            System.out.println("the finding was on the uncompressed stream " + ms + " ms after the event was acknowledged");
            stream.body().close();
        }
    }
}
