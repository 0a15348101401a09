package pm.monitor.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.alert.AlertService;
import pm.monitor.alert.Formats;
import pm.monitor.alert.MessageTemplates;
import pm.monitor.alert.Notice;
import pm.monitor.alert.SampleNotices;
import pm.monitor.alert.TemplateCheck;
import pm.monitor.alert.TemplateVariables;
import pm.monitor.finding.Json;
import pm.monitor.store.AuditStore;
import pm.monitor.store.TemplateStore;

/**
 * The message templates (administrators): {@code GET /api/message-templates} gives each
 * channel's parts with the template in force, its default and the variables;
 * {@code PUT /api/message-templates/:channel} checks and saves a channel's parts (audited), or
 * with {@code ?dryRun=true} only checks them and renders the sample notices with them, for the
 * editor's live preview; {@code DELETE} puts a channel's defaults back.
 */
public final class TemplateRoutes implements ApiVerticle.Routes {
    private final AlertService alerts;
    private final AuditStore audit;

    public TemplateRoutes(AlertService alerts, AuditStore audit) {
        this.alerts = alerts;
        this.audit = audit;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/message-templates").handler(ctx -> blocking(ctx, this::all));
        router.put("/api/message-templates/:channel").handler(this::put);
        router.delete("/api/message-templates/:channel").handler(ctx -> {
            String channel = channel(ctx);
            if (channel == null) {
                return;
            }
            String actor = AccessHandler.principal(ctx).name();
            Map<String, String> back = new LinkedHashMap<>();
            parts(channel).forEach(p -> back.put(p.key(), null));
            blocking(ctx, () -> {
                alerts.saveTemplates(back, actor);
                audit.record(actor, "message-templates.restore", channel, null);
                return all();
            });
        });
    }

    private Map<String, Object> all() {
        MessageTemplates t = alerts.templates();
        Map<String, TemplateStore.Saved> saved = alerts.savedTemplates();
        List<Map<String, Object>> channels = new ArrayList<>();
        for (String channel : MessageTemplates.CHANNELS) {
            List<Map<String, Object>> parts = new ArrayList<>();
            for (MessageTemplates.Part p : parts(channel)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", p.key());
                m.put("zh", p.zh());
                m.put("en", p.en());
                m.put("oneLine", p.oneLine());
                m.put("template", t.source(p.key()));
                m.put("default", MessageTemplates.DEFAULTS.get(p.key()));
                boolean stored = t.stored().containsKey(p.key());
                m.put("stored", stored);
                TemplateStore.Saved s = stored ? saved.get(p.key()) : null;
                m.put("updatedBy", s == null ? null : s.updatedBy());
                m.put("updatedAt", s == null || s.updatedAt() == null ? null : s.updatedAt().toString());
                parts.add(m);
            }
            channels.add(Map.of("channel", channel, "parts", parts));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channels", channels);
        out.put("variables", TemplateVariables.NOTICE);
        out.put("findingVariables", TemplateVariables.FINDING);
        out.put("webhook", Map.of("zh", "通用回调地址不使用模板：它发送的是供其他程序读取的数据，各字段即双方的约定，标题与正文也在其中。",
                "en", "The generic webhook has no template: it sends data for another program (its JSON fields are the contract), "
                        + "with the title and text in its title and text fields."));
        return out;
    }

    /** {@code PUT /api/message-templates/:channel {"email.subject": "…", "email.body": "…"}}; an empty template restores the default. */
    private void put(RoutingContext ctx) {
        String channel = channel(ctx);
        if (channel == null) {
            return;
        }
        JsonObject b;
        try {
            b = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            b = null;
        }
        if (b == null || b.isEmpty()) {
            problem(ctx, "请求内容应为 JSON 对象，键为模板名（" + keys(channel) + "）",
                    "send a JSON object of templates by key (" + keys(channel) + ")");
            return;
        }
        Map<String, String> changes = new LinkedHashMap<>();
        for (String key : b.fieldNames()) {
            Object v = b.getValue(key);
            if (parts(channel).stream().noneMatch(p -> p.key().equals(key))) {
                problem(ctx, "“" + key + "”不是" + channel + "的模板，可用：" + keys(channel),
                        "\"" + key + "\" is no template of " + channel + "; templates: " + keys(channel));
                return;
            }
            if (v != null && !(v instanceof String)) {
                problem(ctx, key + "：模板应为文本", key + ": a template is text");
                return;
            }
            changes.put(key, (String) v);
        }
        boolean dryRun = "true".equals(ctx.request().getParam("dryRun"));
        String actor = AccessHandler.principal(ctx).name();
        ctx.vertx().executeBlocking(() -> {
            if (dryRun) {
                return preview(channel, alerts.templates().with(changes));
            }
            alerts.saveTemplates(changes, actor);
            audit.record(actor, "message-templates.save", channel, changes);
            return all();
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ApiVerticle.json(ctx, 200, ar.result());
            } else if (ar.cause() instanceof TemplateCheck.Problem p) {
                problem(ctx, p.zh(), p.en());
            } else {
                Failures.unavailable(ctx, ar.cause());
            }
        });
    }

    /** Each sample notice in the channel with these templates: every part's text and the payload as sent. */
    private static Map<String, Object> preview(String channel, MessageTemplates t) {
        List<Map<String, Object>> samples = new ArrayList<>();
        for (Notice n : SampleNotices.all()) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            for (MessageTemplates.Part p : parts(channel)) {
                // WeCom's text form is what goes when someone is @-mentioned
                rendered.put(p.key(), t.render(p.key(), n, p.key().equals("wecom.text") ? SampleNotices.MOBILES : List.of()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", n.type());
            m.put("parts", rendered);
            m.put("payload", Json.parse(Formats.render(channel, n, List.of(), t)));
            samples.add(m);
        }
        return Map.of("channel", channel, "samples", samples);
    }

    private static List<MessageTemplates.Part> parts(String channel) {
        return MessageTemplates.PARTS.stream().filter(p -> p.channel().equals(channel)).toList();
    }

    private static String keys(String channel) {
        return String.join(", ", parts(channel).stream().map(MessageTemplates.Part::key).toList());
    }

    /** The channel in the path, or null after answering 404 (the generic webhook has no template). */
    private static String channel(RoutingContext ctx) {
        String channel = ctx.pathParam("channel");
        if (!MessageTemplates.CHANNELS.contains(channel)) {
            String zh = "“" + channel + "”没有消息模板，可用：" + String.join("、", MessageTemplates.CHANNELS)
                    + (channel.equals("webhook") ? "（通用 webhook 发送数据，不用模板）" : "");
            String en = "no message templates for \"" + channel + "\"; channels: " + String.join(", ", MessageTemplates.CHANNELS)
                    + (channel.equals("webhook") ? " (the generic webhook sends data, not wording)" : "");
            ApiVerticle.json(ctx, 404, Map.of("error", zh + " / " + en, "zh", zh, "en", en));
            return null;
        }
        return channel;
    }

    private static void problem(RoutingContext ctx, String zh, String en) {
        ApiVerticle.json(ctx, 400, Map.of("error", zh + " / " + en, "zh", zh, "en", en));
    }

    private static void blocking(RoutingContext ctx, java.util.concurrent.Callable<Object> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ApiVerticle.json(ctx, 200, ar.result());
            } else if (ar.cause() instanceof TemplateCheck.Problem p) {
                problem(ctx, p.zh(), p.en());
            } else {
                Failures.unavailable(ctx, ar.cause());
            }
        });
    }
}
