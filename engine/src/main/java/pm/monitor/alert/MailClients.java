package pm.monitor.alert;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;

/**
 * One SMTP client while the {@code smtp.*} alert settings stay the same, made again when they
 * change (closing a client inside its own answer broke the next send); the password comes from
 * {@code MONITOR_SMTP_PASSWORD}, never stored. Alert e-mails and the scheduled reports each keep one.
 */
final class MailClients implements AutoCloseable {
    private final Vertx vertx;
    /** Whether connecting is bounded by the {@code http.timeout} setting (the alert deliveries' own). */
    private final boolean connectTimeout;
    private MailClient client;
    private String clientFor;

    MailClients(Vertx vertx, boolean connectTimeout) {
        this.vertx = vertx;
        this.connectTimeout = connectTimeout;
    }

    synchronized MailClient client(AlertParameters p) {
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
            if (connectTimeout) {
                c.setConnectTimeout((int) p.duration("http.timeout").toMillis());
            }
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
