package pm.monitor.fact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The complaints that share one {@code incident} key: the subject of collective and major complaints. */
public final class Incident {
    private final String key;
    private final List<Ticket> complaints = new ArrayList<>(4);
    Instant collectiveAt;
    Instant majorAt;

    public Incident(String key) {
        this.key = key;
    }

    public String getKey() { return key; }
    public List<Ticket> getComplaints() { return complaints; }
    public Instant getCollectiveAt() { return collectiveAt; }
    public Instant getMajorAt() { return majorAt; }
    public boolean isCollective() { return collectiveAt != null; }
    public boolean isMajor() { return majorAt != null; }
    /** A rule decided the incident is collective (CODE 4.1.4). */
    public void markCollective(Instant at) { if (collectiveAt == null) { collectiveAt = at; } }
    /** A rule decided the incident is major (BJ 投诉规程 五.8). */
    public void markMajor(Instant at) { if (majorAt == null) { majorAt = at; } }

    void add(Ticket t) {
        if (!complaints.contains(t)) {
            complaints.add(t);
        }
    }

    void remove(Ticket t) {
        complaints.remove(t);
    }

    /**
     * Distinct households among the complaints received in {@code [at - window, at]}. A complaint
     * with no household establishes none (CODE 4.1.4 "五户或五户以上的业户": five anonymous calls
     * may be one caller).
     */
    public int householdsWithin(Instant at, Duration window) {
        return householdSet(at, window, new HashSet<>()).size();
    }

    /** Those households, sorted, for the finding's details. */
    public List<String> householdList(Instant at, Duration window) {
        return new ArrayList<>(householdSet(at, window, new java.util.TreeSet<>()));
    }

    private Set<String> householdSet(Instant at, Duration window, Set<String> households) {
        Instant from = at.minus(window);
        for (Ticket t : complaints) {
            if (t.getHousehold() != null && !t.getReceivedAt().isBefore(from) && !t.getReceivedAt().isAfter(at)) {
                households.add(t.getHousehold());
            }
        }
        return households;
    }

    /**
     * People behind its complaints (BJ 投诉规程 五.8 "10人以上"), per distinct household: a
     * household's largest {@code persons} (1 by default), not the sum over its calls. Complaints
     * with no household count together as one more group, with their largest {@code persons}.
     */
    public int getPersons() {
        java.util.Map<String, Integer> byHousehold = new java.util.HashMap<>();
        for (Ticket t : complaints) {
            byHousehold.merge(t.getHousehold() == null ? "" : t.getHousehold(), t.getPersons(), Math::max);
        }
        int n = 0;
        for (int p : byHousehold.values()) {
            n += p;
        }
        return n;
    }

    /**
     * True while any of its complaints is being handled: neither resolved (in its current cycle)
     * nor closed (BJ 投诉规程 五.8 "在处理过程中").
     */
    public boolean isOpen() {
        for (Ticket t : complaints) {
            if (t.isOpen()) {
                return true;
            }
        }
        return false;
    }

    public List<String> ticketIds() {
        List<String> ids = new ArrayList<>(complaints.size());
        for (Ticket t : complaints) {
            ids.add(t.getId());
        }
        return ids;
    }
}
