package pm.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pm.monitor.finding.Json;
import pm.monitor.support.TestDatabase;

/**
 * A batch with events later than the allowed lateness, cut by kill -9 after its commit (issue
 * 17.10): their late flag is stored with them, so the restart leaves them out of the live
 * history, and makes the reviews the kill cut short.
 */
@Tag("process")
class LateFlagCrashTest {
    private static final DateTimeFormatter BEIJING = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.ofHours(8));
    private static final int TICKETS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String at(Instant t) {
        return BEIJING.format(t);
    }

    private static String call(String id, Instant t) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.answered\",\"at\":\"" + at(t) + "\",\"community\":\"C1\","
                + "\"call\":\"K-" + id + "\",\"rings\":1}";
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("kill -9 after the commit of a batch with late events: their flags are stored, the restart keeps them out of the history and makes their reviews")
    void lateFlagsSurviveAKillAfterTheCommit() throws Exception {
        String dbUrl = TestDatabase.freshSchemaUrl();
        Path logs = Files.createDirectories(Path.of("engine/target/fault-logs"));
        Instant nine = Instant.parse("2026-03-02T01:00:00Z"); // 09:00 in Beijing

        // The history: 60 complaints received at 09:00, never contacted, and calls every 5 s to
        // 12:00, which pass their warnings (10:30) and violations (11:00).
        StringBuilder history = new StringBuilder();
        for (int t = 1; t <= TICKETS; t++) {
            history.append("{\"id\":\"r-").append(t).append("\",\"type\":\"ticket.received\",\"at\":\"").append(at(nine))
                    .append("\",\"community\":\"C1\",\"ticket\":\"T").append(t).append("\",\"kind\":\"complaint\",")
                    .append("\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}\n");
        }
        for (int s = 5; s <= 3 * 3600; s += 5) {
            history.append(call("h-" + s, nine.plusSeconds(s))).append('\n');
        }
        // The batch cut: the 60 contacts at 10:00, two hours behind C1's clock (flagged), and
        // 2,000 calls after 12:00 that the engine takes first.
        StringBuilder cut = new StringBuilder();
        List<String> late = new ArrayList<>();
        for (int t = 1; t <= TICKETS; t++) {
            late.add("late-" + t);
            cut.append("{\"id\":\"late-").append(t).append("\",\"type\":\"ticket.contacted\",\"at\":\"")
                    .append(at(nine.plusSeconds(3600))).append("\",\"community\":\"C1\",\"ticket\":\"T").append(t)
                    .append("\",\"by\":\"s1\"}\n");
        }
        for (int s = 1; s <= 2000; s++) {
            cut.append(call("n-" + s, nine.plusSeconds(3 * 3600 + s))).append('\n');
        }

        CrashTest.Child child = CrashTest.Child.start(dbUrl, logs.resolve("late-flag-0.log"));
        try {
            HttpResponse<String> first = Feed.post(http, child.base, "/api/events", history.toString());
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(List.of(), ((Map<?, ?>) Json.parse(first.body())).get("rejected"));
            assertEquals(List.of(), ((Map<?, ?>) Json.parse(first.body())).get("late"));

            AtomicReference<String> answered = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    answered.set(Feed.post(http, child.base, "/api/events", cut.toString()).body());
                } catch (Exception e) {
                    answered.set("(no answer: " + e + ")");
                }
            }, "late-sender");
            sender.start();
            // The kill lands as soon as the batch is committed, before it is answered.
            try (Connection c = DriverManager.getConnection(dbUrl)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count(c, "SELECT count(*) FROM events WHERE id LIKE 'late-%'") < TICKETS) {
                    if (System.nanoTime() > end || answered.get() != null) {
                        fail("the batch was not stored, or answered before the kill: " + answered.get() + "\n" + child.tail());
                    }
                    Thread.sleep(1);
                }
            }
            child.kill();
            sender.join(30_000);
            assertTrue(answered.get() == null || answered.get().startsWith("(no answer"),
                    "killed before the answer: " + answered.get());
        } finally {
            child.kill();
        }

        try (Connection c = DriverManager.getConnection(dbUrl)) {
            assertEquals(TICKETS + 2000, count(c, "SELECT count(*) FROM events WHERE id LIKE 'late-%' OR id LIKE 'n-%'"),
                    "the batch is stored whole");
            assertEquals(TICKETS, count(c, "SELECT count(*) FROM events WHERE id LIKE 'late-%' AND flag = 'late'"),
                    "the late flags are stored with the events, in their transaction");
            long reviewed = count(c, "SELECT count(DISTINCT event_id) FROM finding_reviews WHERE event_id LIKE 'late-%'");
            System.out.printf("at the kill: %d late events flagged, %d of them reviewed%n", TICKETS, reviewed);
            assertTrue(reviewed < TICKETS, "the kill came before every review: the restart must make the rest ("
                    + reviewed + ")");
        }

        CrashTest.Child again = CrashTest.Child.start(dbUrl, logs.resolve("late-flag-1.log"));
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            assertEquals(TICKETS, count(c, "SELECT count(*) FROM events WHERE id LIKE 'late-%' AND flag = 'late'"));
            assertEquals(TICKETS, count(c, "SELECT count(DISTINCT event_id) FROM finding_reviews "
                    + "WHERE event_id LIKE 'late-%' AND change = 'would-withdraw'"),
                    "each late contact's review names the violation it would withdraw");
            // Not applied as history: every complaint's contact violation is still live.
            assertEquals(TICKETS, count(c, "SELECT count(*) FROM findings WHERE rule = 'complaint.contact-2h' "
                    + "AND kind = 'violation' AND withdrawn_at IS NULL"));
            HttpResponse<String> resent = Feed.post(http, again.base, "/api/events", cut.toString());
            assertEquals(200, resent.statusCode(), resent.body());
            Map<?, ?> body = (Map<?, ?>) Json.parse(resent.body());
            assertEquals(0, ((Number) body.get("accepted")).intValue(), resent.body());
            assertEquals(TICKETS + 2000, ((Number) body.get("duplicates")).intValue(), "stored once");
            assertEquals(TICKETS + 2000 + TICKETS + 3 * 3600 / 5, count(c, "SELECT count(*) FROM events"));
            HttpResponse<String> review = Feed.get(http, again.base, "/api/review?community=C1&limit=100");
            assertEquals(200, review.statusCode(), review.body());
            assertEquals(TICKETS, ((List<?>) ((Map<?, ?>) Json.parse(review.body())).get("items")).size(), review.body());
        } finally {
            again.stop();
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
