package pm.monitor.fact;

import java.time.Instant;

/**
 * What the monitor knows of one ticket, kept up to date from its events. Rules read it; only
 * the state tracker writes it. Times of the current handling cycle (reply, resolution,
 * follow-up) are cleared when the ticket is reopened: a reopening starts a new cycle in which
 * the reply and follow-up duties apply again (CODE 4.11.1; BJ 投诉规程 五.5).
 */
public final class Ticket {
    private final String id;
    private final String community;
    private final Instant receivedAt;
    private final String channel;
    private final String receivedBy;
    String kind;
    String household;
    String building;
    String category;
    String validity;
    String urgency;
    String location;
    String incident;
    Incident partOf;
    int persons;
    Instant observedAt;
    String issue;
    String summary;

    int cycle;
    Instant cycleStartedAt;
    Instant firstResponseAt;
    Instant contactedAt;
    Instant replyBy;
    Instant arriveBy;
    Instant dispatchedAt;
    Instant arrivedAt;
    Instant resolvedAt;
    boolean resolvedOnSpot;
    Instant repliedAt;
    String replyMethod;
    Instant lastRepliedAt;
    Instant followedUpAt;
    Boolean satisfied;
    Instant closedAt;
    Instant lastResolvedAt;
    Instant firstResolvedAt;
    Instant lastFollowedUpAt;
    Instant reopenedAt;
    Instant majorAt;
    boolean lawsuit;
    boolean media;
    /** The time of its latest event: an open ticket untouched long enough leaves memory (Tracker.dormant). */
    Instant lastEventAt;
    /** Every duty opened for this ticket, in order: for its KPIs and its timeline. */
    final java.util.List<Duty> duties = new java.util.ArrayList<>(4);
    /** The runtime's KPI bookkeeping for this ticket; rules do not use it. */
    public Object kpiState;

    public Ticket(String id, String community, Instant receivedAt, String kind, String channel, String receivedBy) {
        this.id = id;
        this.community = community;
        this.receivedAt = receivedAt;
        this.kind = kind;
        this.channel = channel;
        this.receivedBy = receivedBy;
        this.cycleStartedAt = receivedAt;
    }

    public String getId() { return id; }
    public Instant getLastEventAt() { return lastEventAt; }
    public String getCommunity() { return community; }
    public Instant getReceivedAt() { return receivedAt; }
    public String getKind() { return kind; }
    public String getChannel() { return channel; }
    public String getReceivedBy() { return receivedBy; }
    public String getHousehold() { return household; }
    public String getBuilding() { return building; }
    public String getCategory() { return category; }
    public String getValidity() { return validity; }
    public String getUrgency() { return urgency; }
    /** Where a repair is done ({@code home}, {@code public}), or null when not given. */
    public String getLocation() { return location; }
    public String getIncident() { return incident; }
    /** The incident this complaint belongs to, or null. */
    public Incident getPartOf() { return partOf; }
    public int getPersons() { return persons; }
    public Instant getObservedAt() { return observedAt; }
    public String getIssue() { return issue; }
    public String getSummary() { return summary; }
    public int getCycle() { return cycle; }
    public Instant getCycleStartedAt() { return cycleStartedAt; }
    public Instant getFirstResponseAt() { return firstResponseAt; }
    public Instant getContactedAt() { return contactedAt; }
    public Instant getReplyBy() { return replyBy; }
    public Instant getArriveBy() { return arriveBy; }
    public Instant getDispatchedAt() { return dispatchedAt; }
    public Instant getArrivedAt() { return arrivedAt; }
    public Instant getResolvedAt() { return resolvedAt; }
    public boolean isResolvedOnSpot() { return resolvedOnSpot; }
    public Instant getRepliedAt() { return repliedAt; }
    public String getReplyMethod() { return replyMethod; }
    /** The latest reply of the current cycle, or null. */
    public Instant getLastRepliedAt() { return lastRepliedAt; }
    public Instant getFollowedUpAt() { return followedUpAt; }
    public Boolean getSatisfied() { return satisfied; }
    public Instant getClosedAt() { return closedAt; }
    public Instant getLastResolvedAt() { return lastResolvedAt; }
    public Instant getFirstResolvedAt() { return firstResolvedAt; }
    public Instant getLastFollowedUpAt() { return lastFollowedUpAt; }
    /** The first reopening, or null. */
    public Instant getReopenedAt() { return reopenedAt; }
    public Instant getMajorAt() { return majorAt; }
    public boolean isMajor() { return majorAt != null; }
    /** A rule decided the complaint is major (BJ 投诉规程 五.8). */
    public void markMajor(Instant at) { if (majorAt == null) { majorAt = at; } }
    /**
     * What a major complaint is about (BJ 投诉规程 五.8 as the catalog reads it): the incident key
     * where the complaint has one, else the ticket.
     */
    public String getMajorSubject() { return partOf != null ? incident : id; }
    /** Its major subject (the incident, or the ticket itself) is major. */
    public boolean isMajorComplaint() { return partOf != null ? partOf.isMajor() : majorAt != null; }
    /**
     * Its major subject is still being handled (BJ 投诉规程 五.8 "在处理过程中"): neither resolved nor
     * closed; for an incident, any of its complaints is.
     */
    public boolean isMajorSubjectOpen() { return partOf != null ? partOf.isOpen() : isOpen(); }
    /** Marks its major subject major. */
    public void markMajorSubject(Instant at) {
        if (partOf != null) {
            partOf.markMajor(at);
        } else {
            markMajor(at);
        }
    }
    public boolean isLawsuit() { return lawsuit; }
    public boolean isMedia() { return media; }
    public java.util.List<Duty> getDuties() { return duties; }
    public void addDuty(Duty d) { duties.add(d); }

    public boolean isComplaint() { return "complaint".equals(kind); }
    public boolean isRepair() { return "repair".equals(kind); }
    /** An inquiry or a request for help (FD 三; SYS 住户求助). */
    public boolean isRequest() { return "inquiry".equals(kind) || "help".equals(kind); }
    /** Made in person, by phone or by word of mouth (BJ 投诉规程 五.4 当面、电话、口头). */
    public boolean isVerbal() { return "visit".equals(channel) || "phone".equals(channel) || "verbal".equals(channel); }
    /** Made in writing: a letter or an e-mail (BJ 投诉规程 五.4 书面或邮件). */
    public boolean isWritten() { return "written".equals(channel) || "email".equals(channel); }
    public boolean isEmergency() { return "emergency".equals(urgency); }
    /** Neither resolved in the current cycle nor closed. */
    public boolean isOpen() { return resolvedAt == null && closedAt == null; }
    public boolean isClosed() { return closedAt != null; }

    @Override
    public String toString() {
        return "Ticket[" + community + "/" + id + " " + kind + "]";
    }
}
