package pm.monitor.alert;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pm.monitor.finding.Json;
import pm.monitor.store.DeliveryStore.Delivery;

/**
 * E-mail over SMTP with Vert.x's mail client. The server is set by the {@code smtp.*} alert
 * settings (the password by {@code MONITOR_SMTP_PASSWORD}, never stored); the client is made
 * again when they change.
 */
final class MailSender implements Sender, AutoCloseable {
    private final Vertx vertx;
    private MailClient client;
    private String clientFor;

    MailSender(Vertx vertx) {
        this.vertx = vertx;
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
        return client(p).sendMail(m).toCompletionStage().toCompletableFuture()
                .handle((r, e) -> e == null ? Outcome.ok(250)
                        : Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    private synchronized MailClient client(AlertParameters p) {
        String user = p.get("smtp.username");
        String key = p.get("smtp.host") + ":" + p.get("smtp.port") + ":" + p.get("smtp.starttls") + ":" + user;
        if (client == null || !key.equals(clientFor)) {
            if (client != null) {
                client.close();
            }
            MailConfig c = new MailConfig().setHostname(p.get("smtp.host"))
                    .setPort(Integer.parseInt(p.get("smtp.port")))
                    .setStarttls(StartTLSOptions.valueOf(p.get("smtp.starttls").toUpperCase()))
                    .setOwnHostname("pm-monitor");
            c.setConnectTimeout((int) p.duration("http.timeout").toMillis());
            if (user != null && !user.isBlank()) {
                c.setLogin(LoginOption.REQUIRED).setUsername(user).setPassword(System.getenv("MONITOR_SMTP_PASSWORD"));
            } else {
                c.setLogin(LoginOption.DISABLED);
            }
            client = MailClient.create(vertx, c);
            clientFor = key;
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
