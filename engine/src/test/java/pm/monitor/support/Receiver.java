package pm.monitor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import pm.monitor.finding.Json;

/**
 * A real HTTP server taking webhooks on 127.0.0.1, as a receiver would: it records every
 * request and can refuse the first ones (HTTP 500, or a robot's errcode) to exercise retries.
 */
public final class Receiver implements AutoCloseable {

    public record Request(String path, String query, Map<String, List<String>> headers, String body) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> received = new ArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();
    private volatile String refusal = "http";
    private volatile String refusePath;

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Refuse the next {@code n} requests: {@code http} with a 500, {@code robot} with errcode 45009 (rate limit). */
    public void refuse(int n, String how) {
        refuse(n, how, null);
    }

    /** The same, for requests to {@code path} only (null: any). */
    public void refuse(int n, String how, String path) {
        refusal = how;
        refusePath = path;
        refuse.set(n);
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String only = refusePath;
        boolean refused = (only == null || only.equals(x.getRequestURI().getPath()))
                && refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        Request r = new Request(x.getRequestURI().getPath(), x.getRequestURI().getRawQuery(), x.getRequestHeaders(), body);
        String answer;
        int status = 200;
        if (refused && refusal.equals("http")) {
            status = 500;
            answer = "{\"error\":\"down for maintenance\"}";
        } else if (refused) {
            answer = "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}";
        } else {
            answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
        }
        if (!refused) {
            synchronized (received) {
                received.add(r);
            }
        }
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    }

    /** The requests accepted so far (refused ones are not counted: the sender must try again). */
    public List<Request> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    public List<Request> received(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Request> await(String what, int count, Predicate<Request> which) {
        TestServer.await(what, Duration.ofSeconds(20), () -> received().stream().filter(which).count() >= count);
        return received().stream().filter(which).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
