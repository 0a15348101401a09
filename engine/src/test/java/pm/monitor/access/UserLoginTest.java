package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * People log in with a user name and a password (issue 19, "login a person can use"): the
 * session carries the user's role and communities as a token's would, ends at logout, when idle
 * too long, at its absolute end or when the user is disabled; a wrong password and an unknown
 * user get the same answer after the same work; attempts are limited per address.
 */
@Tag("server")
class UserLoginTest {
    private static final String JSON = "application/json";

    private static HttpResponse<String> login(TestServer s, String user, String password) {
        return s.request("POST", "/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}",
                "Content-Type", JSON);
    }

    private static String cookie(HttpResponse<String> r) {
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    private static HttpResponse<String> get(TestServer s, String path, String cookie) {
        return s.request("GET", path, null, "Cookie", cookie);
    }

    private static void addUser(TestServer s, String name, String display, String password, Role role,
                                List<String> communities) {
        AccessService a = s.app().access();
        AccessService.createUser(a.users(), a.tokens(), a.audit(), name, display, password, role, communities, null, "test");
        a.refresh();
    }

    @Test
    @DisplayName("password login: same 401 for a wrong password and an unknown user, a scoped session, logout, idle and absolute expiry, disabled user")
    void passwordLogin() {
        AuthAuditTest.MutableClock clock = new AuthAuditTest.MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
        try (TestServer s = TestServer.start(TestDatabase.freshSchemaUrl(), Rules.dir(), "events",
                c -> c.withAccess("auto", 10_000, 10_000, 64 << 10)
                        .withSessions(new SessionLimits(Duration.ofHours(1), Duration.ofHours(3))), clock)) {
            assertEquals(200, s.get("/api/dashboard/overview").statusCode(), "open before the first user");
            addUser(s, "li.c0001", "李主管", "correct horse 1", Role.MANAGER, List.of("C0001"));
            assertEquals(401, s.get("/api/dashboard/overview").statusCode(), "the first user closes the API as a token would");
            addUser(s, "ops", "运维", "another good one", Role.ADMIN, null); // stays: disabling li.c0001 leaves the API closed

            // warm up bcrypt and the route, then time a wrong password against an unknown user
            login(s, "li.c0001", "warming up");
            long t0 = System.nanoTime();
            HttpResponse<String> wrong = login(s, "li.c0001", "not the password");
            long wrongNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            HttpResponse<String> unknown = login(s, "nobody.here", "not the password");
            long unknownNanos = System.nanoTime() - t0;
            assertEquals(401, wrong.statusCode());
            assertEquals(401, unknown.statusCode());
            Map<String, Object> w = TestServer.json(wrong);
            Map<String, Object> u = TestServer.json(unknown);
            assertEquals(w.get("zh"), u.get("zh"), "an unknown user is told what a wrong password is told");
            assertEquals(w.get("en"), u.get("en"));
            assertTrue(((String) w.get("zh")).contains("密码") && ((String) w.get("en")).contains("password"), w.toString());
            assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), "no session for a wrong password");
            assertTrue(unknownNanos * 3 > wrongNanos && wrongNanos * 3 > unknownNanos,
                    "the same bcrypt work whether or not the user exists: " + wrongNanos / 1_000_000 + " ms vs "
                            + unknownNanos / 1_000_000 + " ms");

            HttpResponse<String> ok = login(s, "li.c0001", "correct horse 1");
            assertEquals(200, ok.statusCode(), ok.body());
            String set = ok.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(set.toLowerCase().contains("httponly") && set.contains("SameSite=Strict"), set);
            assertFalse(set.contains("correct horse"), set);
            String session = cookie(ok);
            Map<String, Object> me = TestServer.json(get(s, "/api/me", session));
            assertEquals("li.c0001", me.get("name"));
            assertEquals("李主管", me.get("displayName"));
            assertEquals("manager", me.get("role"));
            assertEquals("user", me.get("kind"));
            assertEquals(List.of("C0001"), me.get("communities"));
            // the permission checks are the token's: its community yes, another no, an admin route no
            assertEquals(200, get(s, "/api/dashboard/overview?community=C0001", session).statusCode());
            HttpResponse<String> other = get(s, "/api/dashboard/overview?community=C0002", session);
            assertEquals(403, other.statusCode());
            assertTrue(other.body().contains("用户 li.c0001") && other.body().contains("user li.c0001"),
                    "a person is named as a user, not a token: " + other.body());
            assertEquals(403, get(s, "/api/roster", session).statusCode());

            // logout: the session no longer works, though the browser might still send it
            HttpResponse<String> out = s.request("POST", "/api/logout", null, "Cookie", session);
            assertEquals(200, out.statusCode());
            assertEquals(true, TestServer.json(out).get("loggedOut"));
            assertEquals(401, get(s, "/api/me", session).statusCode(), "a logged-out session is refused");

            // idle expiry slides with use; the absolute end does not
            String s2 = cookie(login(s, "li.c0001", "correct horse 1"));
            for (int i = 0; i < 2; i++) {
                clock.plus(Duration.ofMinutes(55));
                s.app().access().refresh(); // as the periodic refresh does: the cache is re-read
                assertEquals(200, get(s, "/api/me", s2).statusCode(), "used within the idle limit: still on (" + i + ")");
            }
            clock.plus(Duration.ofMinutes(61));
            s.app().access().refresh();
            assertEquals(401, get(s, "/api/me", s2).statusCode(), "idle for more than an hour: ended");

            String s3 = cookie(login(s, "li.c0001", "correct horse 1"));
            for (int i = 0; i < 3; i++) {
                clock.plus(Duration.ofMinutes(50));
                s.app().access().refresh();
                assertEquals(200, get(s, "/api/me", s3).statusCode(), "within the absolute limit (" + i + ")");
            }
            clock.plus(Duration.ofMinutes(40)); // 3 h 10 min after login, last used 40 min ago
            s.app().access().refresh();
            assertEquals(401, get(s, "/api/me", s3).statusCode(), "past the absolute limit, however busy");

            // a disabled user: its session ends, its right password opens nothing
            String s4 = cookie(login(s, "li.c0001", "correct horse 1"));
            assertEquals(200, get(s, "/api/me", s4).statusCode());
            AccessService a = s.app().access();
            assertTrue(AccessService.disableUser(a.users(), a.audit(), "li.c0001", "test", clock.instant()));
            TestServer.await("the disabled user's session to end", Duration.ofSeconds(10),
                    () -> get(s, "/api/me", s4).statusCode() == 401);
            HttpResponse<String> disabled = login(s, "li.c0001", "correct horse 1");
            assertEquals(401, disabled.statusCode());
            assertEquals(w.get("en"), TestServer.json(disabled).get("en"), "a disabled user is told what anyone else is");

            // the audit: failures by reason, never the password
            a.failures().flush();
            List<Map<String, Object>> failed = a.audit().list(AuthFailures.ACTION, null, 100, 0);
            assertTrue(failed.stream().anyMatch(r -> String.valueOf(r.get("details")).contains("disabled-user")),
                    failed.toString());
            String rows = String.valueOf(a.audit().list(null, null, 1000, 0));
            assertTrue(rows.contains("password"), rows);
            assertFalse(rows.contains("not the password") || rows.contains("correct horse"), "no password in the audit");
        }
    }

    @Test
    @DisplayName("password logins are limited per address: past the burst, 429 with Retry-After before any password is checked")
    void rateLimited() {
        try (TestServer s = TestServer.start("events", c -> c.withAccess("auto", 0.01, 3, 64 << 10))) {
            addUser(s, "ops", null, "a long admin pass", Role.ADMIN, null);
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login(s, "ops", "guess " + i).statusCode());
            }
            HttpResponse<String> r = login(s, "ops", "a long admin pass");
            assertEquals(429, r.statusCode(), "the fourth attempt in a row, right password or not");
            assertNotNull(r.headers().firstValue("Retry-After").orElse(null));
        }
    }
}
