package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DisplayName;
import pm.monitor.store.DeliveryStore;
import pm.monitor.support.Receiver;

/** Each channel against a real receiver: SMTP (GreenMail), the WeCom and DingTalk robot formats, the dashboard feed. */
class ChannelsTest {

    /** Messages name rules by the loaded rule set's names: load it here, not by luck of test order. */
    @BeforeAll
    static void rules() {
        pm.monitor.support.Rules.real();
    }

    @Test
    @DisplayName("One alert reaches e-mail, a WeCom robot (after a rate-limit refusal), a signed DingTalk robot and the dashboard, each with its key")
    @SuppressWarnings("unchecked")
    void everyChannel() throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (Receiver robots = new Receiver();
             AlertHarness h = new AlertHarness(Map.of("smtp.host", "127.0.0.1",
                     "smtp.port", String.valueOf(smtp.getSmtp().getPort()), "smtp.starttls", "disabled",
                     "smtp.from", "monitor@wy.example"))) {
            h.roster("C001", "supervisor", "王主管", "email", "wang@wy.example", null);
            h.roster("C001", "supervisor", "C001 客服群", "wecom", robots.url("/cgi-bin/webhook/send"), null);
            h.roster("*", "supervisor", "主管钉钉群", "dingtalk", robots.url("/robot/send"), "SEC-test-123");
            robots.refuse(1, "robot", "/cgi-bin/webhook/send");
            h.found(AlertServiceTest.finding("call.three-rings", "violation", "C001", "K1", "2026-03-02T09:00:00+08:00",
                    "supervisor", Map.of("rings", 6)));
            h.clockAt("2026-03-02T09:05:00+08:00");

            assertTrue(smtp.waitForIncomingEmail(20_000, 1), "no e-mail arrived");
            MimeMessage mail = smtp.getReceivedMessages()[0];
            String alert = h.alerts.store().query(new pm.monitor.store.AlertStore.Filter(null, null, null, null, null,
                    null), 1, 0).get(0).id;
            String key = alert + "-0";
            assertEquals("<" + key + "@pm-monitor>", mail.getHeader("Message-ID")[0], "duplicates share a Message-ID");
            assertEquals(key, mail.getHeader("X-Idempotency-Key")[0]);
            assertTrue(mail.getSubject().contains("电话三声内接听") && !mail.getSubject().contains("call.three-rings"),
                    "the rule by its Chinese name: " + mail.getSubject());
            assertTrue(String.valueOf(mail.getContent()).contains("K1"), String.valueOf(mail.getContent()));
            assertEquals("wang@wy.example", mail.getAllRecipients()[0].toString());

            Receiver.Request wecom = robots.await("the WeCom robot", 1, r -> r.path().equals("/cgi-bin/webhook/send")).get(0);
            assertEquals("markdown", wecom.json().get("msgtype"));
            String content = (String) ((Map<String, Object>) wecom.json().get("markdown")).get("content");
            assertTrue(content.contains("客服主管") && !content.contains("key:"), "no key line in a group chat: " + content);

            Receiver.Request ding = robots.await("the DingTalk robot", 1, r -> r.path().equals("/robot/send")).get(0);
            assertEquals("markdown", ding.json().get("msgtype"));
            Map<String, Object> md = (Map<String, Object>) ding.json().get("markdown");
            assertTrue(((String) md.get("title")).contains("电话三声内接听"), (String) md.get("title"));
            // DingTalk 加签: sign = Base64(HmacSHA256(secret, timestamp + "\n" + secret)).
            Map<String, String> q = new java.util.HashMap<>();
            for (String kv : ding.query().split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("SEC-test-123".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((q.get("timestamp") + "\nSEC-test-123").getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, q.get("sign"));

            List<DeliveryStore.Delivery> all = h.alerts.deliveries().query(new DeliveryStore.Filter(alert, null, null, null), 10, 0);
            assertEquals(List.of("dashboard", "dingtalk", "email", "wecom"),
                    all.stream().map(DeliveryStore.Delivery::channel).sorted().toList());
            pm.monitor.support.TestServer.await("every delivery recorded", java.time.Duration.ofSeconds(10), () ->
                    h.alerts.deliveries().query(new DeliveryStore.Filter(alert, "delivered", null, null), 10, 0).size() == 4);
            long wecomId = all.stream().filter(d -> d.channel().equals("wecom")).findFirst().orElseThrow().id();
            List<DeliveryStore.Attempt> attempts = h.alerts.deliveries().attempts(wecomId);
            assertEquals(2, attempts.size(), "refused once (errcode 45009), then delivered");
            assertTrue(attempts.get(0).error().contains("45009"), attempts.get(0).error());
            assertTrue(h.published.stream().anyMatch(p -> p.contains("\"key\":\"" + key + "\"")),
                    "the dashboard's live feed got it");
        } finally {
            smtp.stop();
        }
    }
}
