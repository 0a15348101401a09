package pm.monitor.http;

import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import pm.monitor.alert.AlertService;
import pm.monitor.store.AuditStore;

/**
 * The alerts' HTTP API: the alerts and their acknowledgement with a live stream per role, and the
 * deliveries ({@link InboxRoutes}); the roster ({@link RosterRoutes}); silences
 * ({@link SilenceRoutes}); the alert settings ({@link AlertSettingsRoutes}). Database work runs
 * as blocking tasks, off the event loop ({@link AlertAnswers}).
 */
public final class AlertRoutes implements ApiVerticle.Routes {
    private final List<ApiVerticle.Routes> parts;

    /** @param ruleIds the loaded rules' ids; @param communities the communities the monitor has seen */
    public AlertRoutes(AlertService alerts, AuditStore audit, Supplier<Set<String>> ruleIds,
                       Supplier<Set<String>> communities) {
        KnownNames known = new KnownNames(ruleIds, communities);
        // the settings first: /api/alerts/settings must not be taken for an alert's id (/api/alerts/:id)
        this.parts = List.of(new AlertSettingsRoutes(alerts, audit), new InboxRoutes(alerts, audit),
                new RosterRoutes(alerts, audit, known), new SilenceRoutes(alerts, audit, known));
    }

    @Override
    public void mount(Router router) {
        parts.forEach(p -> p.mount(router));
    }
}
