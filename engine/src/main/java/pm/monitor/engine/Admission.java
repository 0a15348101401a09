package pm.monitor.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.Events.CommunityRegistered;
import pm.monitor.event.Events.TicketClosed;
import pm.monitor.event.Events.TicketDispatched;
import pm.monitor.event.Events.TicketReceived;
import pm.monitor.event.Events.TicketReopened;
import pm.monitor.fact.Tracker;
import pm.monitor.rules.RuleSet;

/**
 * Ingest's view of what is known, to refuse an event that contradicts it before it is stored
 * and acknowledged: an unknown ticket, a second receipt of one, an event before its ticket was
 * received, a date so far from the calendar's data that it must be wrong. The checks are the engines' own
 * ({@link Tracker#check(Event, String, java.time.Duration, Tracker.TicketIndex)}); this index only answers them
 * without asking the engines' threads. Used by one ingest thread at a time.
 */
public final class Admission {
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    /** In an overlay: the value is null in this batch (a reopening, a new receipt of an archived id). */
    private static final long NONE = Long.MIN_VALUE;
    private static final long DAY = 86_400_000L;

    /**
     * Per community: ticket → when it was received, when first dispatched, and when closed in its
     * current cycle (epoch millis). A ticket archived (closed {@link CommunityEngine#archiveAfter}
     * ago) is dropped once a day of event time, as the engines drop it (README "Retention").
     */
    private final Map<String, Map<String, Long>> received = new HashMap<>();
    private final Map<String, Map<String, Long>> dispatched = new HashMap<>();
    private final Map<String, Map<String, Long>> closed = new HashMap<>();
    private final Map<String, String[]> communities = new HashMap<>();
    /** Per community: the latest event time recorded, and the day (epoch days) of the last drop. */
    private final Map<String, long[]> clocks = new HashMap<>();
    /** The latest event time recorded in any community (epoch millis), MIN_VALUE before the first. */
    private long newest = Long.MIN_VALUE;
    /** The index an overlay reads through and merges into; null for the index itself. */
    private final Admission base;
    private volatile RuleSet rules;

    public Admission(RuleSet rules) {
        this(rules, null);
    }

    private Admission(RuleSet rules, Admission base) {
        this.rules = rules;
        this.base = base;
    }

    public void rules(RuleSet rules) {
        this.rules = rules;
    }

    /** Why the event cannot be taken now, or null. {@code pending} holds this batch's earlier events. */
    public EventException check(Event e, Admission pending) {
        String[] c = pending.communities.getOrDefault(e.community(), communities.get(e.community()));
        ZoneId zone = c == null ? DEFAULT_ZONE : ZoneId.of(c[0]);
        String calendarName = c == null ? "cn" : c[1];
        if (e instanceof CommunityRegistered r) {
            if (!rules.calendars().has(r.calendar())) {
                return new EventException("calendar", "no calendar \"" + r.calendar() + "\" in rules/calendar/");
            }
            zone = ZoneId.of(r.timezone());
            calendarName = r.calendar();
        }
        if (!rules.calendars().has(calendarName)) { // registered with a calendar a later rules change removed
            return new EventException("at", "no calendar \"" + calendarName + "\" in rules/calendar/ for community "
                    + e.community());
        }
        // A year with no calendar data is counted provisionally; only a date far from the data is refused.
        String refusal = rules.calendars().get(calendarName).refusal(LocalDate.ofInstant(e.at(), zone));
        if (refusal != null) {
            return new EventException("at", refusal);
        }
        Admission view = pending.base == this ? pending : this;
        String community = e.community();
        return Tracker.check(e, community, archiveAfter(community), new Tracker.TicketIndex() {
            @Override
            public Instant receivedAt(String ticket) {
                return instant(view.get(Kind.RECEIVED, community, ticket));
            }

            @Override
            public Instant dispatchedAt(String ticket) {
                return instant(view.get(Kind.DISPATCHED, community, ticket));
            }

            @Override
            public Instant closedAt(String ticket) {
                return instant(view.get(Kind.CLOSED, community, ticket));
            }
        });
    }

    /** Per community: the parameters last read and the archive time they give. */
    private final Map<String, Object[]> archive = new HashMap<>();

    private Duration archiveAfter(String community) {
        pm.monitor.rules.Params p = rules.parameters().forCommunity(community);
        Object[] known = archive.get(community);
        if (known == null || known[0] != p) {
            known = new Object[] {p, CommunityEngine.archiveAfter(p)};
            archive.put(community, known);
        }
        return (Duration) known[1];
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private enum Kind { RECEIVED, DISPATCHED, CLOSED }

    private Map<String, Map<String, Long>> map(Kind k) {
        return switch (k) {
            case RECEIVED -> received;
            case DISPATCHED -> dispatched;
            case CLOSED -> closed;
        };
    }

    /** The value as this index (an overlay: this batch, then the index) knows it. */
    private Long get(Kind k, String community, String ticket) {
        Map<String, Long> own = map(k).get(community);
        Long v = own == null ? null : own.get(ticket);
        if (v != null) {
            return v == NONE ? null : v;
        }
        return base == null ? null : base.get(k, community, ticket);
    }

    private void set(Kind k, String community, String ticket, Long value) {
        if (base == null && value == null) {
            Map<String, Long> own = map(k).get(community);
            if (own != null) {
                own.remove(ticket);
            }
            return;
        }
        map(k).computeIfAbsent(community, x -> new HashMap<>()).put(ticket, value == null ? NONE : value);
    }

    /** Records an accepted event (into this index, or a pending overlay). */
    public void record(Event e) {
        String community = e.community();
        long at = e.at().toEpochMilli();
        if (e instanceof TicketReceived r) {
            // a new ticket, or an archived id received again: nothing of the old one carries over
            set(Kind.RECEIVED, community, r.ticket(), at);
            set(Kind.DISPATCHED, community, r.ticket(), null);
            set(Kind.CLOSED, community, r.ticket(), null);
        } else if (e instanceof TicketDispatched d) {
            if (get(Kind.DISPATCHED, community, d.ticket()) == null) {
                set(Kind.DISPATCHED, community, d.ticket(), at);
            }
        } else if (e instanceof TicketClosed x) {
            if (get(Kind.CLOSED, community, x.ticket()) == null) {
                set(Kind.CLOSED, community, x.ticket(), at); // the first closing of the cycle, as the engine keeps
            }
        } else if (e instanceof TicketReopened x) {
            set(Kind.CLOSED, community, x.ticket(), null);
        } else if (e instanceof CommunityRegistered r) {
            communities.put(community, new String[] {r.timezone(), r.calendar()});
        }
        advance(community, at);
    }

    /**
     * Notes the community's event time; the index itself drops, once per day of it, the tickets
     * archived more than {@link Tracker#ARCHIVE_SLACK} ago (the engines' slack: an event up to a
     * day behind finds its ticket, or finds it archived).
     */
    private void advance(String community, long at) {
        long[] clock = clocks.computeIfAbsent(community, x -> new long[] {Long.MIN_VALUE, Math.floorDiv(at, DAY)});
        if (at > clock[0]) {
            clock[0] = at;
        }
        newest = Math.max(newest, at);
        if (base != null || Math.floorDiv(at, DAY) <= clock[1]) {
            return;
        }
        clock[1] = Math.floorDiv(at, DAY);
        Map<String, Long> closing = closed.get(community);
        if (closing == null) {
            return;
        }
        long before = at - archiveAfter(community).toMillis() - Tracker.ARCHIVE_SLACK.toMillis();
        java.util.Iterator<Map.Entry<String, Long>> i = closing.entrySet().iterator();
        while (i.hasNext()) {
            Map.Entry<String, Long> x = i.next();
            if (x.getValue() <= before) {
                i.remove();
                Map<String, Long> r = received.get(community);
                if (r != null) {
                    r.remove(x.getKey());
                }
                Map<String, Long> d = dispatched.get(community);
                if (d != null) {
                    d.remove(x.getKey());
                }
            }
        }
    }

    /**
     * The community's newest event time recorded, as {@code pending} (this batch's overlay, or
     * the index itself) knows it: epoch millis, MIN_VALUE when it has none (see {@link Clocks}).
     */
    public long latest(String community, Admission pending) {
        long own = Long.MIN_VALUE;
        for (Admission a = pending; a != null; a = a.base) {
            long[] clock = a.clocks.get(community);
            if (clock != null) {
                own = Math.max(own, clock[0]);
            }
        }
        return own;
    }

    /** The newest event time recorded in any community, as {@code pending} knows it (MIN_VALUE: none). */
    public long newest(Admission pending) {
        long n = Long.MIN_VALUE;
        for (Admission a = pending; a != null; a = a.base) {
            n = Math.max(n, a.newest);
        }
        return n;
    }

    /**
     * Whether the event is about a ticket {@code pending} knows no receipt of: its receipt may be
     * in a request still on its way (see {@code Ingest}).
     */
    public boolean unknownTicket(Event e, Admission pending) {
        return e instanceof Event.OfTicket o && !(e instanceof TicketReceived)
                && pending.get(Kind.RECEIVED, e.community(), o.ticket()) == null;
    }

    /** How many tickets the index holds (for tests). */
    public int tickets(String community) {
        Map<String, Long> r = received.get(community);
        return r == null ? 0 : r.size();
    }

    /** A fresh overlay for one batch: recorded there, merged into this index once the batch is stored. */
    public Admission overlay() {
        return new Admission(rules, this);
    }

    /** Takes what the overlay recorded. */
    public void merge(Admission overlay) {
        for (Kind k : Kind.values()) {
            overlay.map(k).forEach((c, ts) -> ts.forEach((t, v) -> set(k, c, t, v == NONE ? null : v)));
        }
        communities.putAll(overlay.communities);
        overlay.clocks.forEach((c, clock) -> advance(c, clock[0]));
    }
}
