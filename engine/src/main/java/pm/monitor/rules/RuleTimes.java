package pm.monitor.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/**
 * How often each rule fired and how long its consequences took: the "slowest rules" of the
 * rules view. One per engine thread (sessions of a thread fire one at a time); read from any.
 * The time of matching (the conditions) is spread over inserts and is not attributed.
 */
public final class RuleTimes extends DefaultAgendaEventListener {
    private final Map<String, LongAdder[]> times = new ConcurrentHashMap<>();
    private long started;

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        started = System.nanoTime();
    }

    @Override
    public void afterMatchFired(AfterMatchFiredEvent event) {
        long took = System.nanoTime() - started;
        LongAdder[] a = times.computeIfAbsent(event.getMatch().getRule().getName(),
                r -> new LongAdder[] {new LongAdder(), new LongAdder()});
        a[0].increment();
        a[1].add(took);
    }

    /** The rules by total consequence time, longest first, merged over several threads' counters. */
    public static List<Map<String, Object>> slowest(List<RuleTimes> all, int limit) {
        Map<String, long[]> merged = new java.util.HashMap<>();
        for (RuleTimes t : all) {
            t.times.forEach((rule, a) -> {
                long[] m = merged.computeIfAbsent(rule, r -> new long[2]);
                m[0] += a[0].sum();
                m[1] += a[1].sum();
            });
        }
        List<Map<String, Object>> out = new ArrayList<>();
        merged.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
                .limit(limit).forEach(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("rule", e.getKey());
                    m.put("fired", e.getValue()[0]);
                    m.put("totalMillis", e.getValue()[1] / 1_000_000.0);
                    m.put("meanMicros", e.getValue()[0] == 0 ? 0 : e.getValue()[1] / 1000.0 / e.getValue()[0]);
                    out.add(m);
                });
        return out;
    }
}
