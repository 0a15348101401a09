package pm.monitor.alert;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text of each channel's message, written by a Mustache template per part (Alertmanager's
 * notification templates): an e-mail's subject and body, a WeCom robot's markdown and its text
 * (sent instead when someone is @-mentioned: WeCom's markdown cannot mention), a DingTalk robot's
 * title and text. {@link Formats} wraps what they render in the channel's own JSON. The generic
 * webhook has no template: its body is the notice as data for another program, whose fields are
 * its contract. Each default renders the message exactly as it was before templates existed.
 */
public final class MessageTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(MessageTemplates.class);

    /** One part of a channel's message; {@code oneLine}: a subject or title, a single line. */
    public record Part(String key, String channel, String zh, String en, boolean oneLine) {
    }

    public static final List<Part> PARTS = List.of(
            new Part("email.subject", "email", "邮件主题", "e-mail subject", true),
            new Part("email.body", "email", "邮件正文", "e-mail body", false),
            new Part("wecom.markdown", "wecom", "企业微信消息（格式文本）", "WeCom message (markdown)", false),
            new Part("wecom.text", "wecom", "企业微信消息（有人被 @ 时为纯文本）", "WeCom message when someone is @-mentioned (plain text)", false),
            new Part("dingtalk.title", "dingtalk", "钉钉消息标题（会话列表中显示）", "DingTalk title (shown in the chat list)", true),
            new Part("dingtalk.text", "dingtalk", "钉钉消息正文（格式文本）", "DingTalk text (markdown)", false));

    /** The channels whose messages have templates. */
    public static final List<String> CHANNELS = List.of("email", "wecom", "dingtalk");

    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        String plain = "{{title}}\n{{#lines}}\n{{.}}\n{{/lines}}\n";
        d.put("email.subject", "{{title}}\n");
        d.put("email.body", plain);
        d.put("wecom.markdown", "**{{title}}**\n{{#lines}}\n{{.}}\n{{/lines}}\n");
        d.put("wecom.text", plain);
        d.put("dingtalk.title", "{{title}}\n");
        // DingTalk's markdown needs a blank line to break lines.
        d.put("dingtalk.text", "#### {{title}}\n{{#lines}}\n\n{{.}}\n{{/lines}}\n");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    /**
     * Text, not HTML: nothing is escaped (the JSON around it is written by code). An empty string
     * and 0 are false in a section, so {@code {{#ackDue}}…{{/ackDue}}} shows only when there is one.
     */
    static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true)
            .zeroIsFalse(true).strictSections(true).nullValue("");

    private static final MessageTemplates DEFAULT = new MessageTemplates(Map.of());

    private final Map<String, String> stored;
    private final Map<String, Template> compiled = new LinkedHashMap<>();

    private MessageTemplates(Map<String, String> stored) {
        this.stored = Map.copyOf(stored);
        for (Part p : PARTS) {
            compiled.put(p.key(), COMPILER.compile(source(p.key())));
        }
    }

    public static MessageTemplates defaults() {
        return DEFAULT;
    }

    /**
     * The defaults with {@code stored} in their place. Each was checked when saved; one that no
     * longer passes (a variable since renamed) is left out, so its default is sent, and logged.
     */
    public static MessageTemplates of(Map<String, String> stored) {
        Map<String, String> ok = new LinkedHashMap<>();
        stored.forEach((key, source) -> {
            try {
                TemplateCheck.check(key, source);
                ok.put(key, source);
            } catch (TemplateCheck.Problem e) {
                LOG.warn("message template {} not used, its default is: {}", key, e.getMessage());
            }
        });
        return ok.isEmpty() ? DEFAULT : new MessageTemplates(ok);
    }

    /**
     * These templates with {@code changes} (key to template; null, empty or the default itself:
     * back to the default), each checked.
     */
    public MessageTemplates with(Map<String, String> changes) {
        Map<String, String> next = new LinkedHashMap<>(stored);
        changes.forEach((key, source) -> {
            if (isDefault(key, source)) {
                TemplateCheck.part(key);
                next.remove(key);
            } else {
                TemplateCheck.check(key, source);
                next.put(key, source);
            }
        });
        return new MessageTemplates(next);
    }

    /** Whether {@code source} for {@code key} means its default: nothing, or the default's own text. */
    public static boolean isDefault(String key, String source) {
        return source == null || source.isBlank() || source.equals(DEFAULTS.get(key));
    }

    /** The template in force for {@code key}: the stored one, else the default. */
    public String source(String key) {
        return stored.getOrDefault(key, DEFAULTS.get(key));
    }

    /** The stored templates (those not at their default). */
    public Map<String, String> stored() {
        return stored;
    }

    /**
     * The part {@code key} of {@code n}'s message, without trailing line breaks (a template's
     * last line ends with one). A template that fails here, though it passed its checks, gives
     * way to the default: a message is never lost to its wording.
     */
    public String render(String key, Notice n, List<String> mobiles) {
        Map<String, Object> vars = TemplateVariables.of(n, mobiles);
        try {
            return trim(compiled.get(key).execute(vars));
        } catch (RuntimeException e) {
            if (!stored.containsKey(key)) {
                throw e;
            }
            LOG.warn("message template {} failed ({}); the default is used", key, e.getMessage());
            return trim(DEFAULT.compiled.get(key).execute(vars));
        }
    }

    static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageTemplates t && t.stored.equals(stored);
    }

    @Override
    public int hashCode() {
        return stored.hashCode();
    }
}
