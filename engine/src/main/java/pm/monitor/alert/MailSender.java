package pm.monitor.alert;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pm.monitor.finding.Json;
import pm.monitor.store.DeliveryStore.Delivery;

/**
 * E-mail over SMTP with Vert.x's mail client. The server is set by the {@code smtp.*} alert
 * settings (the password by {@code MONITOR_SMTP_PASSWORD}, never stored), through {@link MailClients}.
 */
final class MailSender implements Sender, AutoCloseable {
    private final MailClients clients;

    MailSender(Vertx vertx) {
        this.clients = new MailClients(vertx, true);
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery d, String secret, AlertParameters p) {
        String host = p.get("smtp.host");
        if (host == null || host.isBlank()) {
            return CompletableFuture.completedFuture(Outcome.failed(null,
                    "e-mail is not set up: PUT /api/alerts/settings {\"smtp.host\": ...}"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.parse(d.payload());
        MailMessage m = new MailMessage().setFrom(p.get("smtp.from")).setTo(d.address())
                .setSubject(String.valueOf(body.get("subject"))).setText(String.valueOf(body.get("text")));
        m.addHeader("Message-ID", String.valueOf(body.get("messageId")));
        m.addHeader("X-Idempotency-Key", d.key());
        return clients.client(p).sendMail(m).toCompletionStage().toCompletableFuture()
                .handle((r, e) -> e == null ? Outcome.ok(250)
                        : Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    @Override
    public void close() {
        clients.close();
    }
}
