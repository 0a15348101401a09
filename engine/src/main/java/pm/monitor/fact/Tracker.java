package pm.monitor.fact;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.Events.*;

/**
 * Keeps one community's facts up to date from its events, in event-time order, and says which
 * facts each event presents to the rules. It decides nothing the handbook decides; it only
 * records what happened (the first contact of a cycle, the last resolution, who belongs to
 * which incident) and refuses events that contradict what is known.
 */
public final class Tracker {
    private final String community;
    private final Function<Instant, LocalDate> localDate;
    private final Map<String, Ticket> tickets = new HashMap<>();
    private final Map<String, Incident> incidents = new HashMap<>();
    private final Households households = new Households();
    private final Map<String, Building> buildings = new LinkedHashMap<>();
    private LocalDate communityFirstDay;
    /** How long after its closing a ticket is archived (CommunityEngine.archiveAfter). */
    private final java.util.function.Supplier<Duration> archiveAfter;

    /** @param localDate the community's local date of an instant (its time zone may change) */
    public Tracker(String community, Function<Instant, LocalDate> localDate) {
        this(community, localDate, () -> MIN_ARCHIVE_AFTER);
    }

    /** @param archiveAfter how long after its closing a ticket is archived (CommunityEngine.archiveAfter) */
    public Tracker(String community, Function<Instant, LocalDate> localDate,
                   java.util.function.Supplier<Duration> archiveAfter) {
        this.community = community;
        this.localDate = localDate;
        this.archiveAfter = archiveAfter;
    }

    // ---- archiving closed tickets ---------------------------------------------------------------

    /**
     * The shortest time a closed ticket is kept after its closing, whatever the windows: twice
     * the 30-day look-back windows (repeat complaints, rework), so that an event just outside a
     * window (a repair reopened on day 35, say) is still taken and judged, not refused.
     */
    public static final Duration MIN_ARCHIVE_AFTER = Duration.ofDays(62);

    /**
     * Slack between a ticket becoming archived (a rule of event time, {@link #archived}) and its
     * being dropped from memory: an event taken up to this much behind the clock still finds
     * the ticket, or finds it archived, never merely unknown.
     */
    public static final Duration ARCHIVE_SLACK = Duration.ofDays(1);

    /**
     * Whether a ticket closed at {@code closedAt} (in its current cycle; null: not closed) is
     * archived for an event at {@code at}: closed {@code archiveAfter} or longer before it. A
     * rule of the two instants only, so that ingest's index and the engine agree whether or not
     * either has dropped the ticket yet.
     */
    public static boolean archived(Instant closedAt, Instant at, Duration archiveAfter) {
        return closedAt != null && !at.isBefore(closedAt.plus(archiveAfter));
    }

    /**
     * Drops the tickets archived before {@code horizon} minus {@link #ARCHIVE_SLACK} whose
     * duties are all settled (an open duty is still judged, and its ticket with it). Called at
     * each day start of event time, so replay and serve drop the same tickets at the same point.
     *
     * @return how many were dropped
     */
    public int forgetArchived(Instant horizon) {
        Duration after = archiveAfter.get();
        Instant before = horizon.minus(after).minus(ARCHIVE_SLACK);
        // Exactly the tickets a scan of all would find (closed at or before `before`, in the
        // map, duties settled), without the daily scan of every ticket kept: closings wait in
        // time order; one whose duty is still open waits in `unsettled` and is looked at again.
        List<Ticket> gone = null;
        if (!unsettled.isEmpty()) {
            for (java.util.Iterator<Ticket> i = unsettled.iterator(); i.hasNext(); ) {
                Ticket t = i.next();
                if (tickets.get(t.getId()) != t || t.closedAt == null) {
                    i.remove(); // forgotten, or reopened (queued again when it closes)
                } else if (noOpenDuty(t)) {
                    i.remove();
                    gone = gone == null ? new ArrayList<>() : gone;
                    gone.add(t);
                }
            }
        }
        while (!closings.isEmpty() && !closings.peek().at.isAfter(before)) {
            Closing c = closings.poll();
            Ticket t = c.ticket;
            if (tickets.get(t.getId()) != t || !c.at.equals(t.closedAt)) {
                continue; // forgotten, or reopened since: a later closing stands for it
            }
            if (noOpenDuty(t)) {
                gone = gone == null ? new ArrayList<>() : gone;
                gone.add(t);
            } else {
                unsettled.add(t);
            }
        }
        if (gone == null) {
            return 0;
        }
        gone.forEach(this::forget);
        return gone.size();
    }

    /** A ticket closed at {@code at} (its closing then; a reopening makes the entry stale). */
    private record Closing(Instant at, Ticket ticket) {
    }

    private final java.util.PriorityQueue<Closing> closings =
            new java.util.PriorityQueue<>(java.util.Comparator.comparing(Closing::at));
    /** Closed long enough, but a duty still open (its ticket is still judged). */
    private final java.util.Set<Ticket> unsettled = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private static boolean noOpenDuty(Ticket t) {
        for (Duty d : t.duties) {
            if (d.isOpen()) {
                return false;
            }
        }
        return true;
    }

    public Duration archiveAfter() {
        return archiveAfter.get();
    }

    // ---- open tickets left untouched (issue 17.16) ----------------------------------------------

    /**
     * Tickets that left memory untouched, each with the time of its last event: an event for one
     * brings it back from the store first (CommunityEngine), so it is judged as if it had never
     * left. An id and an instant each, where the ticket took kilobytes.
     */
    private final Map<String, Instant[]> dormant = new HashMap<>();

    /**
     * The open tickets whose last event was {@code after} or longer before {@code horizon} and
     * none of whose duties is still open (an open duty is still judged, and its ticket with it),
     * in id order. A scan of the tickets kept, once a day of event time.
     */
    public List<Ticket> untouched(Instant horizon, Duration after) {
        Instant before = horizon.minus(after);
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : tickets.values()) {
            if (t.closedAt == null && t.lastEventAt != null && !t.lastEventAt.isAfter(before) && noOpenDuty(t)) {
                out.add(t);
            }
        }
        out.sort(java.util.Comparator.comparing(Ticket::getId));
        return out;
    }

    /** Takes an untouched ticket out of memory at {@code at}, remembering only that it is in the store. */
    public void makeDormant(Ticket t, Instant at) {
        forget(t);
        dormant.put(t.getId(), new Instant[] {t.lastEventAt, at});
    }

    /**
     * For a ticket that left memory untouched: the time of its last event and when it left;
     * null if it is not one.
     */
    public Instant[] dormant(String ticket) {
        return dormant.get(ticket);
    }

    public int dormantCount() {
        return dormant.size();
    }

    /**
     * Takes back a ticket that left memory untouched, rebuilt from its stored events as it was
     * when it left (its duties all settled then). It rejoins its incident, if that is still kept.
     */
    public void wake(Ticket t) {
        dormant.remove(t.getId());
        tickets.put(t.getId(), t);
        t.partOf = null;
        if (t.incident != null) {
            Incident i = incidents.get(t.incident);
            if (i != null) {
                i.add(t);
                t.partOf = i;
            }
        }
    }

    public Ticket ticket(String id) {
        return tickets.get(id);
    }

    public Collection<Ticket> tickets() {
        return tickets.values();
    }

    public Households households() {
        return households;
    }

    public Incident incident(String key) {
        return incidents.get(key);
    }

    public List<Building> buildings() {
        return List.copyOf(buildings.values());
    }

    public LocalDate communityFirstDay() {
        return communityFirstDay;
    }

    public boolean hasDailyDuties() {
        return communityFirstDay != null || !buildings.isEmpty();
    }

    /** Forgets a ticket for good (its duties are settled and its look-back windows have passed). */
    public void forget(Ticket t) {
        tickets.remove(t.getId(), t);
        if (t.incident != null) {
            Incident i = incidents.get(t.incident);
            if (i != null) {
                i.remove(t);
                if (i.getComplaints().isEmpty()) {
                    incidents.remove(t.incident);
                }
            }
        }
    }

    /** What {@link #check} needs to know of the tickets seen so far. */
    public interface TicketIndex {
        /** When the ticket was received, or null if it never was. */
        Instant receivedAt(String ticket);

        /** When its work order first went out, or null. */
        Instant dispatchedAt(String ticket);

        /** When it was closed in its current cycle, or null (open, reopened, or unknown). */
        Instant closedAt(String ticket);
    }

    /**
     * Why the event cannot be applied given what is known, or null when it can. Checked
     * before an event is stored, so that a contradiction is refused rather than counted.
     */
    public EventException check(Event e) {
        // One lookup of the ticket serves the check and the apply that follows it.
        String id = e instanceof Event.OfTicket o ? o.ticket() : null;
        Ticket t = id == null ? null : tickets.get(id);
        checked = t;
        return check(e, community, archiveAfter.get(), new TicketIndex() {
            @Override
            public Instant receivedAt(String ticket) {
                Ticket x = ticket.equals(id) ? t : tickets.get(ticket);
                return x == null ? null : x.getReceivedAt();
            }

            @Override
            public Instant dispatchedAt(String ticket) {
                Ticket x = ticket.equals(id) ? t : tickets.get(ticket);
                return x == null ? null : x.dispatchedAt;
            }

            @Override
            public Instant closedAt(String ticket) {
                Ticket x = ticket.equals(id) ? t : tickets.get(ticket);
                return x == null ? null : x.closedAt;
            }
        });
    }

    /** The ticket the last {@link #check} looked up. */
    private Ticket checked;

    /**
     * The contradictions an event can have with the tickets known before it (CONTRACT.md "Bad
     * input"). A ticket closed {@code archiveAfter} or longer before the event is archived: it
     * takes no more events, and its id may be received again as a new ticket (README
     * "Retention"). Whether the ticket is still in memory does not change the answer.
     */
    public static EventException check(Event e, String community, Duration archiveAfter, TicketIndex known) {
        if (e instanceof TicketReceived r) {
            Instant received = known.receivedAt(r.ticket());
            if (received == null || archived(known.closedAt(r.ticket()), r.at(), archiveAfter)) {
                return null;
            }
            return new EventException("ticket", "ticket " + r.ticket() + " was already received (at " + received + ")");
        }
        if (e instanceof Event.OfTicket o) {
            Instant received = known.receivedAt(o.ticket());
            if (received == null) {
                return new EventException("ticket", "unknown ticket " + o.ticket()
                        + " (no ticket.received for it in community " + community + ", or it was closed "
                        + archiveAfter.toDays() + " days or more before this event and is archived)");
            }
            Instant closed = known.closedAt(o.ticket());
            if (archived(closed, e.at(), archiveAfter)) {
                return new EventException("ticket", "ticket " + o.ticket() + " is closed and archived: closed at "
                        + closed + ", " + archiveAfter.toDays() + " days or more before this event; it takes no more"
                        + " events");
            }
            if (e.at().isBefore(received)) {
                return new EventException("at", e.type() + " at " + e.at() + " is before the ticket was received ("
                        + received + ")");
            }
            Instant dispatched = e instanceof TicketArrived ? known.dispatchedAt(o.ticket()) : null;
            if (dispatched != null && e.at().isBefore(dispatched)) {
                return new EventException("at", "arrived at " + e.at() + ", before the work order was dispatched ("
                        + dispatched + ")");
            }
        }
        return null;
    }

    /** Applies the event and returns the facts the rules should see for it. */
    public List<Object> apply(Event e) {
        EventException bad = check(e);
        if (bad != null) {
            throw bad;
        }
        return applyChecked(e);
    }

    /** {@link #apply}, for an event {@link #check} has already passed. */
    public List<Object> applyChecked(Event e) {
        List<Object> facts = new ArrayList<>(3);
        if (e instanceof TicketReceived r) {
            received(r, facts);
        } else if (e instanceof Event.OfTicket o) {
            Ticket t = checked != null && checked.getId().equals(o.ticket()) ? checked : tickets.get(o.ticket());
            ticketEvent(e, t, facts);
        } else if (e instanceof BuildingRegistered b) {
            Building old = buildings.get(b.building());
            buildings.put(b.building(), new Building(b.building(), b.manager(),
                    old != null ? old.firstDay() : firstWholeDayFrom(b.at())));
            facts.add(e);
        } else if (e instanceof CommunityRegistered c) {
            if (communityFirstDay == null) {
                communityFirstDay = firstWholeDayFrom(c.at());
            }
            facts.add(e);
        } else {
            facts.add(e);
        }
        return facts;
    }

    /** The first day that starts at or after {@code at} (BJ 三.3: "from the first whole day after it was registered"). */
    private LocalDate firstWholeDayFrom(Instant at) {
        LocalDate d = localDate.apply(at);
        return localDate.apply(at.minusNanos(1)).equals(d) ? d.plusDays(1) : d;
    }

    private void received(TicketReceived r, List<Object> facts) {
        Ticket old = tickets.get(r.ticket());
        if (old != null) {
            forget(old); // archived (check let the id be received again): the new ticket takes its place
        }
        Ticket t = new Ticket(r.ticket(), community, r.at(), r.kind(), r.channel(), r.receivedBy());
        t.lastEventAt = r.at();
        dormant.remove(r.ticket());
        t.household = r.household();
        t.building = r.building();
        t.category = r.category();
        t.validity = r.validity();
        t.urgency = r.urgency();
        t.location = r.location();
        t.persons = r.persons();
        t.observedAt = r.observedAt();
        t.issue = r.issue();
        t.summary = r.summary();
        tickets.put(t.getId(), t);
        facts.add(new Received(r, t));
        facts.add(new CycleStarted(t, r.at(), 0, "received"));
        if (t.isComplaint()) {
            households.add(t);
            if (r.incident() != null) {
                facts.add(join(t, r.incident(), r.at()));
            }
        }
    }

    private IncidentJoined join(Ticket t, String key, Instant at) {
        t.incident = key;
        Incident i = incidents.computeIfAbsent(key, Incident::new);
        i.add(t);
        t.partOf = i;
        return new IncidentJoined(t, i, at);
    }

    private void ticketEvent(Event e, Ticket t, List<Object> facts) {
        Instant at = e.at();
        if (t.lastEventAt == null || at.isAfter(t.lastEventAt)) {
            t.lastEventAt = at;
        }
        if (e instanceof TicketClassified c) {
            String previousValidity = t.validity;
            String previousIncident = t.incident;
            if (c.validity() != null) {
                t.validity = c.validity();
            }
            if (c.category() != null) {
                t.category = c.category();
            }
            if (c.urgency() != null) {
                t.urgency = c.urgency();
            }
            facts.add(new Classified(c, t, previousValidity, previousIncident));
            if (c.incident() != null && !c.incident().equals(previousIncident) && t.isComplaint()) {
                if (previousIncident != null) {
                    Incident old = incidents.get(previousIncident);
                    if (old != null) {
                        old.remove(t);
                    }
                }
                facts.add(join(t, c.incident(), at));
            } else if (c.incident() != null) {
                t.incident = c.incident();
            }
        } else if (e instanceof TicketContacted c) {
            boolean first = t.contactedAt == null;
            if (first) {
                t.contactedAt = at;
            }
            if (c.replyBy() != null) {
                t.replyBy = c.replyBy();
            }
            if (c.arriveBy() != null) {
                t.arriveBy = c.arriveBy();
            }
            respond(t, at);
            facts.add(new Contacted(c, t, first));
        } else if (e instanceof TicketDispatched d) {
            boolean first = t.dispatchedAt == null;
            if (first) {
                t.dispatchedAt = at;
            }
            respond(t, at);
            facts.add(new Dispatched(d, t, first));
        } else if (e instanceof TicketArrived a) {
            if (t.arrivedAt == null) {
                t.arrivedAt = at;
            }
            facts.add(new Arrived(a, t));
        } else if (e instanceof TicketResolved r) {
            if (t.resolvedAt == null) {
                t.resolvedAt = at;
                t.resolvedOnSpot = r.onSpot();
            }
            if (t.firstResolvedAt == null) {
                t.firstResolvedAt = at;
            }
            t.lastResolvedAt = at;
            respond(t, at);
            facts.add(new Resolved(r, t));
        } else if (e instanceof TicketReplied r) {
            if (t.repliedAt == null) {
                t.repliedAt = at;
                t.replyMethod = r.method();
            }
            t.lastRepliedAt = at;
            respond(t, at);
            facts.add(new Replied(r, t));
        } else if (e instanceof TicketProgress p) {
            facts.add(new Progress(p, t));
        } else if (e instanceof TicketFollowedUp f) {
            if (t.followedUpAt == null) {
                t.followedUpAt = at;
            }
            t.lastFollowedUpAt = at;
            t.satisfied = f.satisfied();
            facts.add(new FollowedUp(f, t));
        } else if (e instanceof TicketReopened r) {
            t.cycle++;
            t.cycleStartedAt = at;
            t.contactedAt = null;
            t.replyBy = null;
            t.arriveBy = null;
            t.dispatchedAt = null;
            t.arrivedAt = null;
            t.resolvedAt = null;
            t.resolvedOnSpot = false;
            t.repliedAt = null;
            t.replyMethod = null;
            t.lastRepliedAt = null;
            t.followedUpAt = null;
            t.satisfied = null;
            t.closedAt = null;
            if (t.reopenedAt == null) {
                t.reopenedAt = at;
            }
            facts.add(new Reopened(r, t));
            facts.add(new CycleStarted(t, at, t.cycle, "reopened"));
        } else if (e instanceof TicketFlagged f) {
            if ("lawsuit".equals(f.flag())) {
                t.lawsuit = true;
            } else {
                t.media = true;
            }
            facts.add(new Flagged(f, t));
        } else if (e instanceof TicketEscalated x) {
            facts.add(new Escalated(x, t));
        } else if (e instanceof TicketReported x) {
            facts.add(new Reported(x, t));
        } else if (e instanceof TicketClosed c) {
            if (t.closedAt == null) {
                t.closedAt = at;
                closings.add(new Closing(at, t));
            }
            facts.add(new Closed(c, t));
        } else {
            throw new IllegalStateException("unhandled ticket event " + e.type());
        }
    }

    private static void respond(Ticket t, Instant at) {
        if (t.firstResponseAt == null) {
            t.firstResponseAt = at;
        }
    }
}
