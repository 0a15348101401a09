package pm.monitor.fact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules' global {@code households}: each household's complaints, oldest first, for the
 * rules that look across tickets (a repeat complaint, CODE 4.11.1). Complaints older than the
 * look-back are dropped by the engine at each day's start (CommunityEngine).
 */
public final class Households {
    private final Map<String, List<Ticket>> complaints = new HashMap<>();

    public List<Ticket> complaints(String household) {
        List<Ticket> l = household == null ? null : complaints.get(household);
        return l == null ? List.of() : l;
    }

    /** Complaints held, over all households. */
    public int size() {
        int n = 0;
        for (List<Ticket> l : complaints.values()) {
            n += l.size();
        }
        return n;
    }

    /** The complaints held, by time received: the oldest are dropped without a scan of all. */
    private final java.util.PriorityQueue<Ticket> byReceived =
            new java.util.PriorityQueue<>(java.util.Comparator.comparing(Ticket::getReceivedAt));

    public void add(Ticket t) {
        if (t.getHousehold() != null) {
            complaints.computeIfAbsent(t.getHousehold(), k -> new ArrayList<>(2)).add(t);
            byReceived.add(t);
        }
    }

    /** Forgets complaints received before {@code before}. */
    public void forgetBefore(Instant before) {
        while (!byReceived.isEmpty() && byReceived.peek().getReceivedAt().isBefore(before)) {
            Ticket t = byReceived.poll();
            List<Ticket> l = complaints.get(t.getHousehold());
            if (l != null) {
                l.removeIf(x -> x == t);
                if (l.isEmpty()) {
                    complaints.remove(t.getHousehold());
                }
            }
        }
    }
}
