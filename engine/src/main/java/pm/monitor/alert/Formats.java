package pm.monitor.alert;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.finding.Json;

/**
 * A notice in each channel's own format. The payload is rendered once, when the message is
 * queued, and stored, so that every retry sends the same bytes.
 */
public final class Formats {
    private Formats() {
    }

    public static final List<String> CHANNELS = List.of("email", "webhook", "wecom", "dingtalk");

    /** WeCom caps a markdown message at 4096 bytes of UTF-8; DingTalk's cap is larger, one limit serves both. */
    static final int ROBOT_BYTES = 4000;

    public static String render(String channel, Notice n) {
        return switch (channel) {
            case "webhook", "dashboard" -> Json.write(n.toMap());
            case "wecom" -> wecom(n);
            case "dingtalk" -> dingtalk(n);
            case "email" -> email(n);
            default -> throw new IllegalArgumentException("unknown channel " + channel);
        };
    }

    /** WeCom group robot (企业微信群机器人): {@code {"msgtype":"markdown","markdown":{"content":…}}}. */
    static String wecom(Notice n) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("content", clip("**" + n.title() + "**\n" + String.join("\n", n.lines())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgtype", "markdown");
        m.put("markdown", md);
        return Json.write(m);
    }

    /** DingTalk group robot (钉钉群机器人): {@code {"msgtype":"markdown","markdown":{"title":…,"text":…}}}. */
    static String dingtalk(Notice n) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("title", n.title());
        // DingTalk's markdown needs a blank line to break lines.
        md.put("text", clip("#### " + n.title() + "\n\n" + String.join("\n\n", n.lines())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgtype", "markdown");
        m.put("markdown", md);
        return Json.write(m);
    }

    /** E-mail: subject, plain text, and a Message-ID made from the key so mail clients drop a duplicate. */
    static String email(Notice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", n.title());
        m.put("text", n.text());
        m.put("messageId", "<" + n.key() + "@pm-monitor>");
        m.put("key", n.key());
        return Json.write(m);
    }

    static String clip(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= ROBOT_BYTES) {
            return text;
        }
        String cut = new String(b, 0, ROBOT_BYTES - 40, StandardCharsets.UTF_8);
        // A cut inside a multi-byte character decodes to U+FFFD; drop it.
        cut = cut.replaceAll("\uFFFD+$", "");
        return cut + "\n… (见看板)";
    }
}
