package pm.monitor.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
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
    private final AlertService alerts;
    /** Without the alert deliveries' connect timeout, as reports have always been sent. */
    private final MailClients clients;

    public ReportMail(Vertx vertx, AlertService alerts) {
        this.alerts = alerts;
        this.clients = new MailClients(vertx, false);
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
        MailClient client = clients.client(p);
        MailAttachment attachment = MailAttachment.create().setName(fileName).setData(Buffer.buffer(xlsx))
                .setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        MailMessage m = new MailMessage().setFrom(p.get("smtp.from")).setTo(to).setSubject(subject).setText(text)
                .setAttachment(List.of(attachment));
        return client.sendMail(m).toCompletionStage().toCompletableFuture()
                .handle((r, e) -> e == null ? "sent to " + String.join(", ", to)
                        : "not sent: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
