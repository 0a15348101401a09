package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.access.AccessService;
import pm.monitor.access.Role;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * Issue 19: an administrator edits a receiver kind's message template over HTTP; a manager may
 * not; a broken one is refused 400 in Chinese and English; a dry run previews without saving; the
 * next message queued for that kind is written by the saved template, the others keep theirs.
 */
@Tag("server")
class TemplateRoutesTest {
    private static final String WECOM = "{{communityName}}｜{{ruleName}}｜{{roleName}}\n"
            + "{{#findings}}\n- {{subject}} {{category}} {{summary}}\n{{/findings}}\n{{url}}\n";

    @Test
    @DisplayName("saved as admin (not as a manager, not when broken), the WeCom template writes the next queued WeCom message")
    @SuppressWarnings("unchecked")
    void saveAndUse() {
        try (TestServer server = TestServer.start("events", c -> c.withAccess("auto", 10_000, 10_000, 64 << 10))) {
            AccessService access = server.app().access();
            String admin = access.create("admin", Role.ADMIN, null, "test");
            String manager = access.create("wang-c001", Role.MANAGER, List.of("C001"), "test");

            var asManager = as(server, manager, "PUT", "/api/message-templates/wecom", Json.write(Map.of("wecom.markdown", WECOM)));
            assertEquals(403, asManager.statusCode(), asManager.body());
            assertEquals(403, as(server, manager, "GET", "/api/message-templates", null).statusCode());

            var broken = as(server, admin, "PUT", "/api/message-templates/wecom",
                    Json.write(Map.of("wecom.markdown", "{{title}}\n{{#findings}}\n{{line}}\n{{comunityName}}")));
            assertEquals(400, broken.statusCode(), broken.body());
            Map<String, Object> why = TestServer.json(broken);
            assertTrue(String.valueOf(why.get("zh")).contains("第 4 行") && String.valueOf(why.get("zh")).contains("comunityName"), broken.body());
            assertTrue(String.valueOf(why.get("en")).contains("line 4: unknown variable \"comunityName\""), broken.body());
            var unclosed = as(server, admin, "PUT", "/api/message-templates/wecom",
                    Json.write(Map.of("wecom.markdown", "{{title}}\n{{#findings}}\n{{line}}\n")));
            assertEquals(400, unclosed.statusCode(), unclosed.body());
            assertTrue(String.valueOf(TestServer.json(unclosed).get("zh")).contains("没有关闭"), unclosed.body());
            assertEquals(404, as(server, admin, "PUT", "/api/message-templates/webhook", "{\"webhook.body\":\"{{title}}\"}").statusCode());

            var dry = as(server, admin, "PUT", "/api/message-templates/wecom?dryRun=true", Json.write(Map.of("wecom.markdown", WECOM)));
            assertEquals(200, dry.statusCode(), dry.body());
            List<Map<String, Object>> samples = (List<Map<String, Object>>) TestServer.json(dry).get("samples");
            String previewed = (String) ((Map<String, Object>) samples.get(0).get("parts")).get("wecom.markdown");
            assertTrue(previewed.startsWith("翠湖苑｜"), previewed);
            assertEquals(false, part(TestServer.json(as(server, admin, "GET", "/api/message-templates", null)), "wecom.markdown")
                    .get("stored"), "a dry run saves nothing");

            var saved = as(server, admin, "PUT", "/api/message-templates/wecom", Json.write(Map.of("wecom.markdown", WECOM)));
            assertEquals(200, saved.statusCode(), saved.body());
            Map<String, Object> part = part(TestServer.json(saved), "wecom.markdown");
            assertEquals(true, part.get("stored"));
            assertEquals(WECOM, part.get("template"));
            assertEquals("admin", part.get("updatedBy"));
            List<Map<String, Object>> audit = (List<Map<String, Object>>) TestServer.json(
                    as(server, admin, "GET", "/api/audit?action=message-templates.save", null)).get("items");
            assertEquals(1, audit.size(), "one save audited (the dry run and the refusals are not): " + audit);
            assertEquals("admin", audit.get(0).get("actor"));
            assertEquals("wecom", audit.get(0).get("target"));
            assertEquals(Map.of("wecom.markdown", WECOM), audit.get(0).get("details"));

            for (String[] r : new String[][] {{"wecom", "http://127.0.0.1:9/cgi-bin/webhook/send"}, {"email", "wang@wy.example"}}) {
                var entry = as(server, admin, "POST", "/api/roster", Json.write(Map.of("community", "C001", "role", "supervisor",
                        "name", "王主管", "channel", r[0], "address", r[1])));
                assertEquals(201, entry.statusCode(), entry.body());
            }
            var events = as(server, admin, "POST", "/api/events", complaint("t1", "C001", "T1",
                    "2026-03-02T09:00:00+08:00"));
            assertEquals(200, events.statusCode(), events.body());
            assertEquals(200, as(server, admin, "POST", "/api/clock", "{\"until\":\"2026-03-02T12:00:00+08:00\"}").statusCode());
            server.drain();
            Object[] id = new Object[2];
            TestServer.await("a WeCom and an e-mail delivery", Duration.ofSeconds(30), () -> {
                for (Map<String, Object> d : (List<Map<String, Object>>) TestServer.json(
                        as(server, admin, "GET", "/api/deliveries?limit=100", null)).get("items")) {
                    if (d.get("channel").equals("wecom")) {
                        id[0] = d.get("id");
                    } else if (d.get("channel").equals("email")) {
                        id[1] = d.get("id");
                    }
                }
                return id[0] != null && id[1] != null;
            });
            Map<String, Object> wecom = (Map<String, Object>) Json.parse((String) TestServer.json(
                    as(server, admin, "GET", "/api/deliveries/" + id[0], null)).get("payload"));
            String content = (String) ((Map<String, Object>) wecom.get("markdown")).get("content");
            assertTrue(content.startsWith("C001｜") && content.contains("｜客服主管\n- T1 环境管理"), content);
            assertTrue(!content.startsWith("**"), "the saved template, not the default: " + content);
            Map<String, Object> mail = (Map<String, Object>) Json.parse((String) TestServer.json(
                    as(server, admin, "GET", "/api/deliveries/" + id[1], null)).get("payload"));
            assertTrue(String.valueOf(mail.get("text")).startsWith(String.valueOf(mail.get("subject")) + "\n"),
                    "e-mail keeps its default: " + mail);

            var restored = as(server, admin, "DELETE", "/api/message-templates/wecom", null);
            assertEquals(200, restored.statusCode(), restored.body());
            assertEquals(MessageTemplates.DEFAULTS.get("wecom.markdown"), part(TestServer.json(restored), "wecom.markdown").get("template"));
            assertEquals(1, ((List<?>) TestServer.json(as(server, admin, "GET", "/api/audit?action=message-templates.restore", null))
                    .get("items")).size());
        }
    }

    private static String complaint(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\","
                + "\"category\":\"environment\",\"receivedBy\":\"a1\",\"summary\":\"楼道垃圾没人清\"}";
    }

    private static HttpResponse<String> as(TestServer server, String token, String method, String path, String body) {
        return server.request(method, path, body, "Content-Type", "application/json", "Authorization", "Bearer " + token);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> all, String key) {
        for (Map<String, Object> c : (List<Map<String, Object>>) all.get("channels")) {
            for (Map<String, Object> p : (List<Map<String, Object>>) c.get("parts")) {
                if (p.get("key").equals(key)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no part " + key + " in " + all);
    }
}
