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

    /** Distinct households among the complaints received in {@code [at - window, at]}. */
    public int householdsWithin(Instant at, Duration window) {
        Instant from = at.minus(window);
        Set<String> households = new HashSet<>();
        for (Ticket t : complaints) {
            if (!t.getReceivedAt().isBefore(from) && !t.getReceivedAt().isAfter(at)) {
                households.add(t.getHousehold() != null ? t.getHousehold() : "ticket:" + t.getId());
            }
        }
        return households.size();
    }

    /** Those households, sorted, for the finding's details. */
    public List<String> householdList(Instant at, Duration window) {
        Instant from = at.minus(window);
        Set<String> households = new java.util.TreeSet<>();
        for (Ticket t : complaints) {
            if (!t.getReceivedAt().isBefore(from) && !t.getReceivedAt().isAfter(at)) {
                households.add(t.getHousehold() != null ? t.getHousehold() : "ticket:" + t.getId());
            }
        }
        return new ArrayList<>(households);
    }

    /** People behind all its complaints ({@code persons}, 1 each by default). */
    public int getPersons() {
        int n = 0;
        for (Ticket t : complaints) {
            n += t.getPersons();
        }
        return n;
    }

    /** True while any of its complaints is neither resolved nor closed. */
    public boolean isOpen() {
        for (Ticket t : complaints) {
            if (!t.isClosed()) {
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
