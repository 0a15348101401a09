package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.store.AuditStore;
import pm.monitor.store.Database;
import pm.monitor.store.Migrations;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * Failed authentications are audited — when, from which address, why — never with the token,
 * and bounded, so a flood of bad tokens cannot fill the audit table (issue 17.17).
 */
@Tag("server")
class AuthAuditTest {

    @Test
    @DisplayName("bad bearer tokens, ended sessions and failed logins: one audit row per address and reason, without the token")
    void failuresAudited() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("auto", 10_000, 10_000, 64 << 10))) {
            server.app().access().create("ops", Role.ADMIN, null, "test");
            String bad = "pmm_" + "x".repeat(43);
            for (int i = 0; i < 50; i++) {
                assertEquals(401, server.request("GET", "/api/findings", null, "Authorization", "Bearer " + bad + i)
                        .statusCode());
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(401, server.request("POST", "/api/login", "{\"token\":\"" + bad + "login" + i + "\"}",
                        "Content-Type", "application/json").statusCode());
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(401, server.request("GET", "/api/kpis", null, "Cookie", "pm_session=pms_gone" + i).statusCode());
            }
            AuditStore audit = server.app().access().audit();
            TestServer.await("the three failure rows", Duration.ofSeconds(10),
                    () -> audit.list(AuthFailures.ACTION, null, 100, 0).size() >= 3);
            List<Map<String, Object>> rows = audit.list(AuthFailures.ACTION, null, 100, 0);
            assertEquals(3, rows.size(), "one row per address and reason, not one per request: " + rows);
            Set<String> reasons = new HashSet<>();
            for (Map<String, Object> row : rows) {
                assertNotNull(row.get("at"), "when");
                String remote = (String) row.get("target");
                assertTrue(remote.equals("127.0.0.1") || remote.equals("0:0:0:0:0:0:0:1"), "the remote address: " + remote);
                @SuppressWarnings("unchecked")
                Map<String, Object> d = (Map<String, Object>) row.get("details");
                reasons.add((String) d.get("reason"));
                assertEquals(1, ((Number) d.get("count")).intValue());
                String message = (String) d.get("message");
                assertTrue(message.contains("·") && message.matches(".*[a-z]+.*"), "Chinese and English: " + message);
            }
            assertEquals(Set.of("unknown-token", "login", "ended-session"), reasons);
            String all = Json.write(audit.list(null, null, 1000, 0));
            assertFalse(all.contains("xxxxxxxx") || all.contains("pms_gone"), "no token or session id in the audit: " + all);
        }
    }

    @Test
    @DisplayName("a flood: per address one row at once and one summary a minute; many addresses capped per minute; every failure counted")
    void floodBounded() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            AuditStore audit = new AuditStore(db.dsl());
            MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
            AuthFailures failures = new AuthFailures(audit, clock);

            for (int i = 0; i < 1000; i++) {
                failures.record("10.0.0.1", AuthFailures.Reason.TOKEN);
                clock.plus(Duration.ofMillis(10));
            }
            failures.flush(); // 10 s in: the address's minute is not over
            assertEquals(1, audit.list(AuthFailures.ACTION, null, 100, 0).size());
            clock.plus(Duration.ofSeconds(51));
            failures.flush();
            List<Map<String, Object>> rows = audit.list(AuthFailures.ACTION, null, 100, 0);
            assertEquals(2, rows.size(), rows.toString());
            assertEquals(999, count(rows.get(0)), "the summary counts the rest of the minute");
            assertEquals(1000, rows.stream().mapToLong(AuthAuditTest::count).sum());

            // 20,000 addresses within a minute (a spray from a /64): at most MAX_ROWS rows and one more for the rest
            clock.plus(Duration.ofMinutes(5));
            for (int i = 0; i < 20_000; i++) {
                failures.record("2001:db8::" + Integer.toHexString(i), AuthFailures.Reason.TOKEN);
            }
            clock.plus(Duration.ofMinutes(2));
            failures.flush();
            List<Map<String, Object>> flood = audit.list(AuthFailures.ACTION, null, 10_000, 0).subList(0,
                    audit.list(AuthFailures.ACTION, null, 10_000, 0).size() - 2);
            assertTrue(flood.size() <= AuthFailures.MAX_ROWS + 1, "bounded: " + flood.size() + " rows");
            assertEquals(20_000, flood.stream().mapToLong(AuthAuditTest::count).sum(), "every failure counted");
            assertTrue(flood.stream().anyMatch(r -> "*".equals(r.get("target"))), "the held-back row");
        }
    }

    @SuppressWarnings("unchecked")
    private static long count(Map<String, Object> row) {
        return ((Number) ((Map<String, Object>) row.get("details")).get("count")).longValue();
    }

    /** A wall clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void plus(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
