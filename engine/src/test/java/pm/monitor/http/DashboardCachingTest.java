package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * The dashboard's files are not downloaded again on every visit (issue 19.8: 1.2 MB each time
 * on a phone): each answer has a Last-Modified, a visit asks with If-Modified-Since and gets 304
 * with no body; max-age 0, so a new release is seen at once.
 */
@Tag("server")
class DashboardCachingTest {

    @Test
    @DisplayName("a page and its scripts: 200 with Last-Modified and max-age=0, then 304 Not Modified with no body")
    void revalidatedNotRedownloaded() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            for (String path : List.of("/index.html", "/js/app.js", "/vendor/echarts/echarts.min.js")) {
                HttpResponse<String> first = server.get(path);
                assertEquals(200, first.statusCode(), path);
                String modified = first.headers().firstValue("Last-Modified").orElse(null);
                assertTrue(modified != null, path + " has a Last-Modified");
                assertTrue(first.headers().firstValue("Cache-Control").orElse("").contains("max-age=0"),
                        path + ": " + first.headers().map());
                HttpResponse<String> again = server.client().send(HttpRequest.newBuilder(
                                URI.create(server.url(path))).header("If-Modified-Since", modified).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(304, again.statusCode(), path);
                assertEquals("", again.body(), path);
            }
        }
    }
}
