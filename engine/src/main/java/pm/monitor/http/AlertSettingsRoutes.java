package pm.monitor.http;

import static pm.monitor.http.AlertAnswers.blocking;
import static pm.monitor.http.AlertAnswers.body;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import pm.monitor.alert.AlertParameters;
import pm.monitor.alert.AlertService;
import pm.monitor.store.AuditStore;

/** {@code /api/alerts/settings}: the alert parameters in force, their defaults, an administrator's changes. */
final class AlertSettingsRoutes implements ApiVerticle.Routes {
    private final AlertService alerts;
    private final AuditStore audit;

    AlertSettingsRoutes(AlertService alerts, AuditStore audit) {
        this.alerts = alerts;
        this.audit = audit;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/alerts/settings").handler(ctx -> blocking(ctx, this::settings));
        router.put("/api/alerts/settings").handler(this::putSettings);
    }

    private Map<String, Object> settings() {
        Map<String, String> overrides = alerts.store().settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("effective", AlertParameters.of(overrides).values());
        m.put("overrides", overrides);
        // what "restore the default" gives, for the settings screen
        m.put("defaults", AlertParameters.DEFAULTS);
        return m;
    }

    /** {@code PUT /api/alerts/settings {"group.window": "10min", "by": "..."}}; an empty value restores the default. */
    private void putSettings(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String by = b.getString("by");
        Map<String, String> changes = new LinkedHashMap<>();
        for (String key : b.fieldNames()) {
            if (key.equals("by")) {
                continue;
            }
            Object v = b.getValue(key);
            String value = v == null ? "" : String.valueOf(v);
            try {
                if (!value.isEmpty() || !AlertParameters.DEFAULTS.containsKey(key)) {
                    AlertParameters.validate(key, value);
                }
            } catch (IllegalArgumentException e) {
                ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
                return;
            }
            changes.put(key, value);
        }
        String actor = AccessHandler.principal(ctx).name();
        blocking(ctx, () -> {
            audit.record(actor, "alerts.settings", null, changes);
            changes.forEach((k, v) -> {
                if (v.isEmpty()) {
                    alerts.store().removeSetting(k);
                } else {
                    alerts.store().putSetting(k, v, by);
                }
            });
            return settings();
        });
    }
}
