package pm.monitor.app;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Whether the heap is too full to take more events (issue 17.16): more than the limit still in
 * use after the last garbage collection. Ingest then answers 503 with {@code Retry-After} at
 * once, so senders back off while there is room left to answer, instead of the service
 * collecting back to back with nobody answered. Read on every ingest request, so it is one
 * volatile read: the figure is taken from each collection's own report (after it, per pool).
 */
public final class HeapGuard implements AutoCloseable {
    private final int limitPercent;
    private final long max;
    private final LongSupplier usedAfterGc;
    private volatile long lastAfterGc;
    private final List<Runnable> detach = new ArrayList<>();

    /** Watching this JVM's collectors. @param limitPercent 100: never full */
    public static HeapGuard of(int limitPercent) {
        HeapGuard g = new HeapGuard(limitPercent, Runtime.getRuntime().maxMemory(), null);
        g.listen();
        return g;
    }

    /** @param usedAfterGc the heap in use after the last collection (null: from the collectors' reports) */
    HeapGuard(int limitPercent, long max, LongSupplier usedAfterGc) {
        this.limitPercent = limitPercent;
        this.max = max;
        this.usedAfterGc = usedAfterGc;
    }

    private final Set<String> heapPools = new HashSet<>();

    private void listen() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        NotificationListener listener = (n, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            // the report has the non-heap pools too (metaspace, code cache): not the heap's
            for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(u.getKey())) {
                    used += u.getValue().getUsed();
                }
            }
            lastAfterGc = used;
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                detach.add(() -> {
                    try {
                        e.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
    }

    /** Percent of the maximum heap in use after the last collection (0 before the first). */
    public int percentUsed() {
        long used = usedAfterGc != null ? usedAfterGc.getAsLong() : lastAfterGc;
        return max <= 0 ? 0 : (int) Math.min(100, used * 100 / max);
    }

    public int limitPercent() {
        return limitPercent;
    }

    /** Whether ingest should refuse for now. */
    public boolean full() {
        return limitPercent < 100 && percentUsed() >= limitPercent;
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
    }
}
