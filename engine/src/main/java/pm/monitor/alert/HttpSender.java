package pm.monitor.alert;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pm.monitor.finding.Json;
import pm.monitor.store.DeliveryStore.Delivery;

/**
 * Webhooks over HTTP: the generic JSON webhook (success is any 2xx) and the WeCom and
 * DingTalk group robots, which answer 200 even when they refuse a message and say so in
 * {@code errcode} (e.g. 45009 / 130101: too many messages a minute), so that is read too.
 */
final class HttpSender implements Sender {
    private final HttpClient client;
    private final Clock wall;

    HttpSender(Clock wall) {
        this.wall = wall;
        this.client = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery d, String secret, AlertParameters p) {
        String url = d.address();
        if (d.channel().equals("dingtalk") && secret != null && !secret.isBlank()) {
            url = signed(url, secret, wall.millis());
        }
        HttpRequest.Builder r;
        try {
            r = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Outcome.failed(null, "bad address " + d.address() + ": " + e.getMessage()));
        }
        r.timeout(p.duration("http.timeout"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8));
        if (d.channel().equals("webhook")) {
            r.header("Idempotency-Key", d.key());
        }
        return client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((res, e) -> {
                    if (e != null) {
                        return Outcome.failed(null, unreachable(e, d.address()));
                    }
                    int code = res.statusCode();
                    if (code / 100 != 2) {
                        return Outcome.failed(code, "HTTP " + code + ": " + abbreviate(res.body()));
                    }
                    if (d.channel().equals("webhook")) {
                        return Outcome.ok(code);
                    }
                    return robotAnswer(code, res.body());
                });
    }

    /** WeCom and DingTalk: {@code {"errcode":0,"errmsg":"ok"}} is success, any other errcode a refusal. */
    static Outcome robotAnswer(int code, String body) {
        try {
            Object parsed = Json.parse(body);
            if (parsed instanceof Map<?, ?> m && m.get("errcode") instanceof Number n) {
                return n.intValue() == 0 ? Outcome.ok(code)
                        : Outcome.failed(code, "errcode " + n + ": " + m.get("errmsg"));
            }
        } catch (RuntimeException e) {
            // fall through: not the robot's JSON
        }
        return Outcome.failed(code, "not a robot's answer: " + abbreviate(body));
    }

    /**
     * DingTalk's signed robots (加签): {@code timestamp} in ms and {@code sign} =
     * Base64(HmacSHA256(secret, timestamp + "\n" + secret)), URL-encoded; the timestamp must be
     * within an hour of DingTalk's clock, so it is made at each attempt.
     */
    /**
     * Why a receiver could not be reached, naming it and the cause in words: "ConnectException:
     * null" said neither what was down nor why (issue 19.6).
     */
    static String unreachable(Throwable e, String address) {
        // the first cause that says what happened; else the deepest
        Throwable cause = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            cause = c;
            if (c instanceof java.net.ConnectException || c instanceof java.net.http.HttpTimeoutException
                    || c instanceof java.net.UnknownHostException || c instanceof javax.net.ssl.SSLException
                    || (!(c instanceof java.util.concurrent.CompletionException) && c.getMessage() != null)) {
                break;
            }
        }
        String host;
        try {
            URI u = URI.create(address);
            host = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException x) {
            host = address;
        }
        String why = cause instanceof java.net.ConnectException ? "connection refused or host unreachable"
                : cause instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : cause instanceof java.net.UnknownHostException ? "unknown host"
                : cause instanceof javax.net.ssl.SSLException ? "TLS failed"
                : "failed";
        String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return "cannot reach " + host + ": " + why + " (" + cause.getClass().getSimpleName() + detail + ")";
    }

    static String signed(String url, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sign = mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            String s = URLEncoder.encode(Base64.getEncoder().encodeToString(sign), StandardCharsets.UTF_8);
            return url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + s;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
