package pm.monitor.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import pm.monitor.calendar.WorkCalendar;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.Events.CommunityRegistered;
import pm.monitor.event.Events.TicketDispatched;
import pm.monitor.event.Events.TicketReceived;
import pm.monitor.fact.Tracker;
import pm.monitor.rules.RuleSet;

/**
 * Ingest's view of what is known, to refuse an event that contradicts it before it is stored
 * and acknowledged: an unknown ticket, a second receipt of one, an event before its ticket was
 * received, a date the calendar cannot count. The checks are the engines' own
 * ({@link Tracker#check(Event, String, Tracker.TicketIndex)}); this index only answers them
 * without asking the engines' threads. Used by one ingest thread at a time.
 */
public final class Admission {
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** Per community: ticket → when it was received, and when first dispatched (epoch millis). */
    private final Map<String, Map<String, Long>> received = new HashMap<>();
    private final Map<String, Map<String, Long>> dispatched = new HashMap<>();
    private final Map<String, String[]> communities = new HashMap<>();
    private volatile RuleSet rules;

    public Admission(RuleSet rules) {
        this.rules = rules;
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
        WorkCalendar calendar = rules.calendars().has(calendarName) ? rules.calendars().get(calendarName) : null;
        LocalDate day = LocalDate.ofInstant(e.at(), zone);
        if (calendar == null || !calendar.covers(day)) {
            return new EventException("at", "the working-day calendar " + calendarName + " covers "
                    + (calendar == null ? "nothing" : calendar.describeYears()) + ", not " + day.getYear()
                    + "; add rules/calendar/" + calendarName + "/" + day.getYear() + ".json");
        }
        return Tracker.check(e, e.community(), new Tracker.TicketIndex() {
            @Override
            public Instant receivedAt(String ticket) {
                Long t = find(pending.received, received, e.community(), ticket);
                return t == null ? null : Instant.ofEpochMilli(t);
            }

            @Override
            public Instant dispatchedAt(String ticket) {
                Long t = find(pending.dispatched, dispatched, e.community(), ticket);
                return t == null ? null : Instant.ofEpochMilli(t);
            }
        });
    }

    private static Long find(Map<String, Map<String, Long>> first, Map<String, Map<String, Long>> then,
                             String community, String ticket) {
        Map<String, Long> p = first.get(community);
        Long t = p == null ? null : p.get(ticket);
        if (t != null) {
            return t;
        }
        Map<String, Long> known = then.get(community);
        return known == null ? null : known.get(ticket);
    }

    /** Records an accepted event (into this index, or a pending overlay). */
    public void record(Event e) {
        if (e instanceof TicketReceived r) {
            received.computeIfAbsent(e.community(), c -> new HashMap<>()).put(r.ticket(), r.at().toEpochMilli());
        } else if (e instanceof TicketDispatched d) {
            dispatched.computeIfAbsent(e.community(), c -> new HashMap<>())
                    .putIfAbsent(d.ticket(), d.at().toEpochMilli());
        } else if (e instanceof CommunityRegistered r) {
            communities.put(e.community(), new String[] {r.timezone(), r.calendar()});
        }
    }

    /** A fresh overlay for one batch: recorded there, merged into this index once the batch is stored. */
    public Admission overlay() {
        return new Admission(rules);
    }

    /** Takes what the overlay recorded. */
    public void merge(Admission overlay) {
        overlay.received.forEach((c, ts) -> received.computeIfAbsent(c, x -> new HashMap<>()).putAll(ts));
        overlay.dispatched.forEach((c, ts) -> {
            Map<String, Long> known = dispatched.computeIfAbsent(c, x -> new HashMap<>());
            ts.forEach(known::putIfAbsent);
        });
        communities.putAll(overlay.communities);
    }
}
