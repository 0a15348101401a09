package pm.monitor.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pm.monitor.store.RosterStore;

/**
 * A scheduled report by e-mail, as an XLSX attachment, to the roster's e-mail addresses (community
 * {@code *}) of the roles its {@code report.<kind>.roles} setting names, over the SMTP server of the
 * {@code smtp.*} alert settings.
 */
public final class ReportMail {
    private final Vertx vertx;
    private final AlertService alerts;

    public ReportMail(Vertx vertx, AlertService alerts) {
        this.vertx = vertx;
        this.alerts = alerts;
    }

    /** The settings as stored now: a report is rare, and the alert clock may not have ticked since a change. */
    private AlertParameters parameters() {
        try {
            return AlertParameters.of(alerts.store().settings());
        } catch (IllegalArgumentException e) {
            return alerts.parameters();
        }
    }

    /** The addresses that get a report of {@code kind} (monthly, weekly), in roster order. */
    public List<String> recipients(String kind) {
        List<String> out = new ArrayList<>();
        for (String role : parameters().reportRoles(kind)) {
            for (RosterStore.Entry e : alerts.roster().destinations("*", role)) {
                if ("*".equals(e.community()) && "email".equals(e.channel()) && !out.contains(e.address())) {
                    out.add(e.address());
                }
            }
        }
        return out;
    }

    /** Sends the report; completes with what happened, in words for the list of reports. */
    public CompletableFuture<String> send(List<String> to, String subject, String text, String fileName, byte[] xlsx) {
        AlertParameters p = parameters();
        String host = p.get("smtp.host");
        if (to.isEmpty()) {
            return CompletableFuture.completedFuture("no recipients: no roster e-mail for " + p.values().keySet().stream()
                    .filter(k -> k.startsWith("report.")).toList());
        }
        if (host == null || host.isBlank()) {
            return CompletableFuture.completedFuture("e-mail is not set up: PUT /api/alerts/settings {\"smtp.host\": ...}");
        }
        MailClient client = client(p);
        MailAttachment attachment = MailAttachment.create().setName(fileName).setData(Buffer.buffer(xlsx))
                .setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        MailMessage m = new MailMessage().setFrom(p.get("smtp.from")).setTo(to).setSubject(subject).setText(text)
                .setAttachment(List.of(attachment));
        return client.sendMail(m).toCompletionStage().toCompletableFuture()
                .handle((r, e) -> e == null ? "sent to " + String.join(", ", to)
                        : "not sent: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private MailClient client;
    private String clientFor;

    /** One client while the SMTP settings stay the same (closing it inside its own answer broke the next send). */
    private synchronized MailClient client(AlertParameters p) {
        String user = p.get("smtp.username");
        String key = p.get("smtp.host") + ":" + p.get("smtp.port") + ":" + p.get("smtp.starttls") + ":" + user;
        if (client == null || !key.equals(clientFor)) {
            if (client != null) {
                client.close();
            }
            MailConfig c = new MailConfig().setHostname(p.get("smtp.host")).setPort(Integer.parseInt(p.get("smtp.port")))
                    .setStarttls(StartTLSOptions.valueOf(p.get("smtp.starttls").toUpperCase())).setOwnHostname("pm-monitor");
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
}
