package pm.monitor.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.DeliveryStore.Delivery;
import pm.monitor.store.RosterStore;

/**
 * Sends the outbox: every pending delivery whose time has come, each on its own, so a dead
 * channel never holds up the others. At least once: a delivery is marked delivered only after
 * the receiver said so, and retried with doubling back-off until {@code retry.give-up} has
 * passed since it was queued. While a destination is failing, its other messages wait for its
 * back-off too (no hammering a receiver that is down), and one message at a time goes to a
 * destination, so they arrive in order. Every attempt is logged. Wall-clock time: retries are
 * about real networks, not event time.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private record Done(Delivery delivery, Instant started, Sender.Outcome outcome, long nanos) {
    }

    private final DeliveryStore store;
    private final RosterStore roster;
    private final Supplier<AlertParameters> params;
    private final Map<String, Sender> senders;
    private final Clock wall;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> busyDestinations = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> backoffUntil = new HashMap<>();
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private volatile boolean running;
    private Thread thread;

    DeliveryWorker(DeliveryStore store, RosterStore roster, Supplier<AlertParameters> params,
                   Map<String, Sender> senders, Clock wall) {
        this.store = store;
        this.roster = roster;
        this.params = params;
        this.senders = senders;
        this.wall = wall;
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "alert-delivery");
        thread.setDaemon(true);
        thread.start();
    }

    /** New deliveries were queued: look now rather than at the next poll. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                record();
                launchDue();
                record();
                synchronized (signal) {
                    if (done.isEmpty()) {
                        signal.wait(100);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("alert delivery: {}; trying again in 1 s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void launchDue() {
        AlertParameters p = params.get();
        Instant now = wall.instant();
        List<Delivery> due = store.due(now, inFlight, 200);
        for (Delivery d : due) {
            String dest = d.channel() + "|" + d.address();
            Instant wait = backoffUntil.get(dest);
            if (busyDestinations.contains(dest) || (wait != null && now.isBefore(wait))) {
                continue;
            }
            Sender sender = senders.get(d.channel());
            busyDestinations.add(dest);
            inFlight.add(d.id());
            Instant started = wall.instant();
            long t0 = System.nanoTime();
            CompletableFuture<Sender.Outcome> f;
            try {
                String secret = d.channel().equals("dingtalk") && d.rosterId() != null ? secretOf(d.rosterId()) : null;
                f = sender == null
                        ? CompletableFuture.completedFuture(Sender.Outcome.failed(null, "no sender for channel " + d.channel()))
                        : sender.send(d, secret, p);
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(Sender.Outcome.failed(null, e.toString()));
            }
            // A receiver that never answers must not keep its destination busy for ever.
            f.completeOnTimeout(Sender.Outcome.failed(null, "no answer within " + p.get("http.timeout") + " + 5s"),
                            p.duration("http.timeout").toMillis() + 5000, TimeUnit.MILLISECONDS)
                    .whenComplete((o, e) -> {
                        done.add(new Done(d, started, e != null ? Sender.Outcome.failed(null, e.toString()) : o,
                                System.nanoTime() - t0));
                        wake();
                    });
        }
    }

    private String secretOf(long rosterId) {
        RosterStore.Entry e = roster.get(rosterId);
        return e == null ? null : e.secret();
    }

    /** Writes down the attempts that finished. */
    private void record() {
        AlertParameters p = params.get();
        Done x;
        while ((x = done.peek()) != null) {
            Delivery d = x.delivery();
            String dest = d.channel() + "|" + d.address();
            int attempt = d.attempts() + 1;
            Instant now = wall.instant();
            String status;
            Instant next;
            if (x.outcome().ok()) {
                status = "delivered";
                next = now;
                backoffUntil.remove(dest);
            } else {
                next = now.plus(backoff(p, attempt));
                boolean giveUp = !next.isBefore(d.createdAt().plus(p.duration("retry.give-up")));
                status = giveUp ? "dead" : "pending";
                backoffUntil.put(dest, next);
                LOG.warn("delivery {} ({} to {}) attempt {} failed: {}{}", d.id(), d.channel(), d.address(), attempt,
                        x.outcome().error(), giveUp ? "; giving up" : "; next attempt at " + next);
            }
            store.attempted(new DeliveryStore.Attempt(d.id(), attempt, x.started(),
                    (int) Math.min(Integer.MAX_VALUE, x.nanos() / 1_000_000), x.outcome().ok(), x.outcome().status(),
                    x.outcome().error()), status, next);
            done.poll();
            inFlight.remove(d.id());
            busyDestinations.remove(dest);
        }
    }

    /** retry.initial, doubled at each failed attempt, at most retry.max. */
    static Duration backoff(AlertParameters p, int attempt) {
        Duration first = p.duration("retry.initial");
        Duration max = p.duration("retry.max");
        Duration d = first;
        for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Stops taking new work and waits (a while) for the messages on the wire, so none is sent twice after a restart. */
    @Override
    public void close() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!inFlight.isEmpty() && System.nanoTime() < end) {
            try {
                record();
                if (!inFlight.isEmpty()) {
                    synchronized (signal) {
                        signal.wait(50);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("recording the last deliveries failed: {}", e.getMessage());
                return;
            }
        }
        record();
    }
}
