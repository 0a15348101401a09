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

    public void add(Ticket t) {
        if (t.getHousehold() != null) {
            complaints.computeIfAbsent(t.getHousehold(), k -> new ArrayList<>(2)).add(t);
        }
    }

    /** Forgets complaints received before {@code before}. */
    public void forgetBefore(Instant before) {
        complaints.values().removeIf(l -> {
            l.removeIf(t -> t.getReceivedAt().isBefore(before));
            return l.isEmpty();
        });
    }
}
