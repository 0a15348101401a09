package pm.monitor.alert;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.finding.Json;

/**
 * A notice in each channel's own format: the robots' and the e-mail's wording from the
 * {@link MessageTemplates}, wrapped here in the channel's JSON (escaped, clipped to what a robot
 * takes, with its @-mentions). The payload is rendered once, when the message is queued, and
 * stored, so that every retry sends the same bytes.
 */
public final class Formats {
    private Formats() {
    }

    public static final List<String> CHANNELS = List.of("email", "webhook", "wecom", "dingtalk");

    /** WeCom caps a markdown message at 4096 bytes of UTF-8; DingTalk's cap is larger, one limit serves both. */
    static final int ROBOT_BYTES = 4000;

    public static String render(String channel, Notice n) {
        return render(channel, n, List.of());
    }

    /** @param mobiles who a group robot @-mentions (the roster entry's mentions), for a personal push */
    public static String render(String channel, Notice n, List<String> mobiles) {
        return render(channel, n, mobiles, MessageTemplates.defaults());
    }

    /** @param t the wording of each channel's message (the webhook's and the dashboard's are data, not wording) */
    public static String render(String channel, Notice n, List<String> mobiles, MessageTemplates t) {
        return switch (channel) {
            case "webhook", "dashboard" -> Json.write(n.toMap());
            case "wecom" -> mobiles.isEmpty() ? wecom(n, t) : wecomText(n, mobiles, t);
            case "dingtalk" -> dingtalk(n, mobiles, t);
            case "email" -> email(n, t);
            default -> throw new IllegalArgumentException("unknown channel " + channel);
        };
    }

    /** WeCom group robot (企业微信群机器人): {@code {"msgtype":"markdown","markdown":{"content":…}}}. */
    static String wecom(Notice n, MessageTemplates t) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("content", clip(t.render("wecom.markdown", n, List.of())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgtype", "markdown");
        m.put("markdown", md);
        return Json.write(m);
    }

    /**
     * WeCom with people to @-mention: a group robot's markdown cannot mention anyone, its text
     * message can ({@code mentioned_mobile_list}), so the message goes as text.
     */
    static String wecomText(Notice n, List<String> mobiles, MessageTemplates t) {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("content", clip(t.render("wecom.text", n, mobiles)));
        text.put("mentioned_mobile_list", mobiles);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgtype", "text");
        m.put("text", text);
        return Json.write(m);
    }

    /**
     * DingTalk group robot (钉钉群机器人): {@code {"msgtype":"markdown","markdown":{"title":…,"text":…},
     * "at":{"atMobiles":[…]}}}; a mention works only when the text holds "@mobile" too.
     */
    static String dingtalk(Notice n, List<String> mobiles, MessageTemplates t) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("title", oneLine(t.render("dingtalk.title", n, mobiles)));
        String at = mobiles.isEmpty() ? "" : "\n\n" + String.join(" ", mobiles.stream().map(x -> "@" + x).toList());
        md.put("text", clip(t.render("dingtalk.text", n, mobiles)) + at);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgtype", "markdown");
        m.put("markdown", md);
        if (!mobiles.isEmpty()) {
            Map<String, Object> who = new LinkedHashMap<>();
            who.put("atMobiles", mobiles);
            who.put("isAtAll", false);
            m.put("at", who);
        }
        return Json.write(m);
    }

    /** E-mail: subject, plain text, and a Message-ID made from the key so mail clients drop a duplicate. */
    static String email(Notice n, MessageTemplates t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", oneLine(t.render("email.subject", n, List.of())));
        m.put("text", t.render("email.body", n, List.of()));
        m.put("messageId", "<" + n.key() + "@pm-monitor>");
        m.put("key", n.key());
        return Json.write(m);
    }

    /** A subject or title is one line whatever a notice's words hold (a line break in a header starts another). */
    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    public static String clip(String text) {
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
