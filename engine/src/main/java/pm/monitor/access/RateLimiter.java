package pm.monitor.access;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller (a token's id, or the remote address while access is open):
 * {@code rate} requests a second on average, bursts of up to {@code burst}. Buckets are kept
 * for the callers seen; there are as many as tokens, or remote addresses in open mode, where
 * an idle one is dropped when the map grows large.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 10_000;
    private final double rate;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s requests a second (bursts of %d)",
                rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate), (long) burst);
    }

    /**
     * Takes one request from the caller's bucket.
     *
     * @return 0 if allowed, else the whole seconds to wait before the next one would be (≥ 1)
     */
    public long take(String key, long nowNanos) {
        if (rate <= 0) {
            return 0;
        }
        if (buckets.size() > MAX_KEYS) {
            buckets.entrySet().removeIf(e -> nowNanos - e.getValue().at > 60_000_000_000L);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.at) / 1e9 * rate);
            b.at = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
        }
    }
}
