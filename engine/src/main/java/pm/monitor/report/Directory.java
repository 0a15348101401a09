package pm.monitor.report;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pm.monitor.engine.Monitor;
import pm.monitor.store.ReportStore;

/**
 * The communities the monitor knows, with their names and time zones, and the instant the
 * dashboard calls "now": the furthest any community's clock has got (with {@code --clock
 * events} that is the last event's time, not the wall clock's; with the wall clock the two
 * agree). Made per request: it costs one small task per community on the engine threads.
 *
 * @param companyZone the zone of the company's own periods (its total "today", the rules view's dates)
 */
public record Directory(List<Community> communities, Instant asOf, ZoneId companyZone) {

    /** The contract's default time zone, used where a community has none and for the company. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    public record Community(String code, String name, ZoneId zone) {
    }

    public Community get(String code) {
        for (Community c : communities) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        return null;
    }

    /** The communities of {@code scope} only (null: all); "now" stays the monitor's. */
    public Directory only(java.util.Set<String> scope) {
        if (scope == null) {
            return this;
        }
        return new Directory(communities.stream().filter(c -> scope.contains(c.code())).toList(), asOf, companyZone);
    }

    public ZoneId zoneOf(String code) {
        Community c = get(code);
        return c == null ? companyZone : c.zone();
    }

    /**
     * The communities whose engines run on other instances of a cluster, and the cluster's
     * present (this instance's engines know only their own).
     */
    public interface Elsewhere {
        /** Every community with stored events. */
        java.util.Set<String> communities();

        /** The newest event time of the whole cluster (null: none yet). */
        Instant present();
    }

    /**
     * Reads the engines (zone, clock) and the stored registrations (names). The registrations
     * query is blocking: call from a worker thread.
     */
    public static Directory load(Monitor monitor, ReportStore store, Clock wall) {
        return load(monitor, store, wall, null);
    }

    /**
     * The same; in a cluster ({@code elsewhere} not null) with the communities run elsewhere too
     * (zone as registered) and the cluster's present as "as of".
     */
    public static Directory load(Monitor monitor, ReportStore store, Clock wall, Elsewhere elsewhere) {
        List<String> codes = new ArrayList<>(monitor.communities().join());
        int local = codes.size();
        if (elsewhere != null) {
            java.util.Set<String> here = new java.util.HashSet<>(codes);
            for (String c : new java.util.TreeSet<>(elsewhere.communities())) {
                if (!here.contains(c)) {
                    codes.add(c);
                }
            }
        }
        List<CompletableFuture<Object[]>> states = new ArrayList<>(codes.size());
        for (String code : codes.subList(0, local)) {
            states.add(monitor.withEngine(code, e -> new Object[] {e.zone(), e.clock()}));
        }
        Map<String, ReportStore.Registration> registered = new HashMap<>();
        for (ReportStore.Registration r : store.registrations()) {
            registered.put(r.community(), r);
        }
        List<Community> out = new ArrayList<>(codes.size());
        Instant asOf = null;
        for (int i = 0; i < codes.size(); i++) {
            Object[] s = i < local ? states.get(i).join() : new Object[] {null, null};
            ZoneId zone = (ZoneId) s[0];
            Instant clock = (Instant) s[1];
            if (clock != null && (asOf == null || clock.isAfter(asOf))) {
                asOf = clock;
            }
            ReportStore.Registration r = registered.get(codes.get(i));
            String name = r == null || r.name() == null || r.name().isBlank() ? null : r.name();
            out.add(new Community(codes.get(i), name, zone == null ? zone(r) : zone));
        }
        Instant cluster = elsewhere == null ? null : elsewhere.present();
        if (cluster != null && (asOf == null || cluster.isAfter(asOf))) {
            asOf = cluster;
        }
        if (elsewhere != null) {
            out.sort(java.util.Comparator.comparing(Community::code, NaturalOrder.INSTANCE)); // not here's, then there's
        }
        return new Directory(List.copyOf(out), asOf == null ? wall.instant() : asOf, DEFAULT_ZONE);
    }

    private static ZoneId zone(ReportStore.Registration r) {
        try {
            return r == null || r.zone() == null ? DEFAULT_ZONE : ZoneId.of(r.zone());
        } catch (DateTimeException e) {
            return DEFAULT_ZONE;
        }
    }
}
