package pm.monitor.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;
import pm.monitor.calendar.CalendarException;
import pm.monitor.calendar.Deadlines;
import pm.monitor.calendar.WorkCalendar;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.Events.CallAnswered;
import pm.monitor.event.Events.CallMissed;
import pm.monitor.event.Events.CommunityRegistered;
import pm.monitor.event.Events.TicketFollowedUp;
import pm.monitor.fact.DayStarted;
import pm.monitor.fact.Duty;
import pm.monitor.fact.KpiFell;
import pm.monitor.fact.Ticket;
import pm.monitor.fact.Tracker;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiIds;
import pm.monitor.kpi.KpiTracker;
import pm.monitor.rules.CommunityContext;
import pm.monitor.rules.Duties;
import pm.monitor.rules.Findings;
import pm.monitor.rules.RuleSet;

/**
 * One community's monitor: its facts, its open duties, its KPIs and its rule session, moved
 * forward in event time only. Communities share nothing, so they run on any thread (one at a
 * time each) and can be rebuilt one by one.
 *
 * <p>The order of things at one instant T, which makes the result independent of how events
 * are batched: first the days that start at T open their daily duties; then the events
 * stamped T, in arrival order; the deadlines that fall at T are judged only when the clock
 * moves past T (or reaches the end of a replay), so an event stamped exactly at its deadline
 * meets it.
 */
public final class CommunityEngine {
    private final String code;
    private final Consumer<Finding> sink;
    private final CommunityContext context;
    private final Duties duties;
    private final Findings findings;
    private final Tracker tracker;
    private final KpiTracker kpis;
    private RuleSet rules;
    private KieSession session;
    private ZoneId zone = ZoneId.of("Asia/Shanghai");
    private String calendarName = "cn";
    private Instant clock;
    private long sessionMillis;
    private Instant nextDay;
    /** The latest times at which an event was taken, a deadline judged and a day's duties opened. */
    private Instant lastEvent;
    private Instant lastJudged;
    private Instant lastDay;
    /** The latest instant whose own deadlines were judged too (an inclusive advance). */
    private Instant judgedThrough;
    private final Set<Ticket> touched = new LinkedHashSet<>();
    private final List<FactHandle> handles = new ArrayList<>();
    private final pm.monitor.rules.RuleTimes times;

    public CommunityEngine(String code, RuleSet rules, Consumer<Finding> sink) {
        this(code, rules, sink, null);
    }

    /** @param times counts each rule's firings and consequence time, or null not to */
    public CommunityEngine(String code, RuleSet rules, Consumer<Finding> sink, pm.monitor.rules.RuleTimes times) {
        this.times = times;
        this.code = code;
        this.sink = sink;
        this.rules = rules;
        this.context = new CommunityContext(code, deadlines(rules), rules.parameters().forCommunity(code),
                rules.version());
        this.duties = new Duties(context);
        this.findings = new Findings(context);
        this.tracker = new Tracker(code, at -> LocalDate.ofInstant(at, zone), this::archiveAfter);
        context.managers(tracker::manager);
        this.kpis = new KpiTracker(code, zone, context::params, rules.kpiMembership());
        this.session = newSession(rules);
    }

    /**
     * How long after its closing a ticket is archived: 62 days, or longer if a window that
     * looks back at closed tickets is longer ({@code complaint.repeat.window},
     * {@code kpi.rework.window}; the other windows after a closing are days: the special
     * report's 7 days, the dissatisfied reopening's 24 h). Kept, every ticket ever closed
     * would stay in memory. Ingest's index ({@link Admission}) uses the same.
     */
    public static java.time.Duration archiveAfter(pm.monitor.rules.Params p) {
        java.time.Duration d = Tracker.MIN_ARCHIVE_AFTER;
        for (String w : new String[] {"complaint.repeat.window", "kpi.rework.window"}) {
            java.time.Duration x = p.duration(w);
            if (x.compareTo(d) > 0) {
                d = x;
            }
        }
        return d;
    }


    /** Tickets closed before it may have been dropped (null: none yet). */
    private Instant archivedBefore;

    /** Tickets closed before this instant may be archived and gone from memory; null if none can be. */
    public Instant archivedBefore() {
        return archivedBefore;
    }

    private pm.monitor.rules.Params archiveFrom;
    private java.time.Duration archive;

    /** {@link #archiveAfter(pm.monitor.rules.Params)} of this community, read once per parameters version. */
    private java.time.Duration archiveAfter() {
        pm.monitor.rules.Params p = context.params();
        if (p != archiveFrom) {
            archive = archiveAfter(p);
            archiveFrom = p;
        }
        return archive;
    }

    private Deadlines deadlines(RuleSet rules) {
        return new Deadlines(zone, rules.calendars().get(calendarName));
    }

    private KieSession newSession(RuleSet rules) {
        KieSession s = rules.newSession();
        if (times != null) {
            s.addEventListener(times);
        }
        globals = rules.globals();
        sessionMillis = 0;
        this.session = s;
        global("duties", duties);
        global("findings", findings);
        global("params", context.params());
        global("deadlines", context.deadlines());
        global("households", tracker.households());
        return s;
    }

    private java.util.Set<String> globals = java.util.Set.of();

    /** Sets a global the rules declare; rules that do not use one need not declare it. */
    private void global(String name, Object value) {
        if (globals.contains(name)) {
            session.setGlobal(name, value);
        }
    }

    public String code() {
        return code;
    }

    /** Where untouched tickets are brought back from; null: open tickets are kept however long untouched. */
    private TicketHistory history;

    /**
     * Lets open tickets untouched for {@code ticket.dormant-after} leave memory, to be brought
     * back from {@code history} when an event for one comes (issue 17.16). Replay and serve both
     * do, at the same day starts of event time, so they find the same.
     */
    public CommunityEngine keepingUntouchedIn(TicketHistory history) {
        this.history = history;
        return this;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The working-day calendar this community counts with ({@code cn} until it registers another). */
    public String calendarName() {
        return calendarName;
    }

    /** The event time this community has reached, or null before its first event. */
    public Instant clock() {
        return clock;
    }

    public Tracker tracker() {
        return tracker;
    }

    /**
     * Whether an event stamped {@code at}, taken now, gives what taking it in event-time order
     * would: nothing happened here after its time (no later event, no deadline judged at or
     * after it, no day opened after it). The clock alone may be ahead: moving it changed nothing.
     */
    public boolean inOrder(Instant at) {
        return (lastEvent == null || !at.isBefore(lastEvent))
                && (lastJudged == null || at.isAfter(lastJudged))
                && (lastDay == null || !at.isBefore(lastDay));
    }

    /** Whether the deadlines exactly at the clock were judged too (see {@link #advanceTo}). */
    public boolean judgedThroughClock() {
        return clock != null && clock.equals(judgedThrough);
    }

    public KpiTracker kpis() {
        return kpis;
    }

    public Duties duties() {
        return duties;
    }

    public String rulesVersion() {
        return rules.version();
    }

    /**
     * Instants known to be within the years the calendar judges (with data or provisionally):
     * most events need no date arithmetic.
     */
    private long coveredFrom = Long.MAX_VALUE;
    private long coveredTo = Long.MIN_VALUE;

    /** Why the event cannot be taken, given what this community knows, or null. */
    public EventException check(Event e) {
        if (history != null) {
            wakeIfDormant(e);
        }
        EventException bad = tracker.check(e);
        if (bad != null) {
            return bad;
        }
        long at = e.at().getEpochSecond();
        if (at >= coveredFrom && at < coveredTo && !(e instanceof CommunityRegistered)) {
            return null;
        }
        // A registration is judged by the calendar and zone it brings, as Admission does in serve:
        // a community that registers with its own calendar is not bound to the default's years.
        String name = calendarName;
        ZoneId z = zone;
        if (e instanceof CommunityRegistered c) {
            if (!rules.calendars().has(c.calendar())) {
                return new EventException("calendar", "no calendar \"" + c.calendar() + "\" in rules/calendar/");
            }
            name = c.calendar();
            z = ZoneId.of(c.timezone());
        }
        // A year with no calendar data is counted provisionally (WorkCalendar); only a date far
        // from every year with data is refused, as a wrong timestamp.
        WorkCalendar calendar = rules.calendars().get(name);
        String refusal = calendar.refusal(LocalDate.ofInstant(e.at(), z));
        if (refusal != null) {
            return new EventException("at", refusal);
        }
        if (name.equals(calendarName) && z.equals(zone)) {
            coveredFrom = LocalDate.of(calendar.firstJudgedYear(), 1, 1).atStartOfDay(zone).toEpochSecond();
            coveredTo = LocalDate.of(calendar.lastJudgedYear() + 1, 1, 1).atStartOfDay(zone).toEpochSecond();
        }
        return null;
    }

    /**
     * Takes one event, in event-time order. An event older than the clock is taken as if it
     * came now (its own times still count for its deadlines).
     *
     * @throws EventException if the event contradicts what is known (see {@link #check})
     */
    public void accept(Event e) {
        EventException bad = check(e);
        if (bad != null) {
            throw bad;
        }
        Instant at = e.at();
        advance(at, false);
        now(at);
        if (lastEvent == null || at.isAfter(lastEvent)) {
            lastEvent = at;
        }
        if (e instanceof CommunityRegistered c) {
            register(c);
        }
        List<Object> facts = tracker.applyChecked(e);
        for (Object f : facts) {
            if (f instanceof pm.monitor.fact.Received r) {
                touched.add(r.ticket());
            }
        }
        if (e instanceof Event.OfTicket o) {
            touched.add(tracker.ticket(o.ticket()));
        }
        fire(facts);
        if (e instanceof TicketFollowedUp f) {
            kpis.count(KpiIds.SATISFACTION, at, f.satisfied());
        } else if (e instanceof CallAnswered c) {
            kpis.count(KpiIds.CALLS, at, c.rings() <= context.params().count("call.three-rings.max-rings"));
        } else if (e instanceof CallMissed m
                && (m.rings() == null || m.rings() > context.params().count("call.three-rings.max-rings"))) {
            // a caller who hung up within the rings allowed was not left unanswered (SYS 奖惩细则 一.2):
            // not a call the line could have answered in time, so not in the KPI either way
            kpis.count(KpiIds.CALLS, at, false);
        }
        settle();
        wokenFor = null;
    }

    /**
     * Moves the clock to {@code to} with no event: days start, deadlines pass. With
     * {@code inclusive}, deadlines exactly at {@code to} are judged too (the end of a replay,
     * or the wall clock in {@code serve}, when no more events stamped {@code to} can come).
     */
    public void advanceTo(Instant to, boolean inclusive) {
        if (clock == null) {
            return;
        }
        advance(to, inclusive);
        if (clock.isBefore(to)) {
            now(to);
        }
        if (inclusive && (judgedThrough == null || to.isAfter(judgedThrough))) {
            judgedThrough = to;
        }
    }

    /**
     * The end of a replay: the clock runs to {@code until}, deadlines at it judged too, and the
     * duties that wait for late events after a deadline at or before it are judged without
     * waiting (the input is complete: no later event can show them met).
     */
    public void finish(Instant until) {
        if (clock == null) {
            return;
        }
        advance(until, true);
        duties.judgeAllDueBy(until);
        advanceTo(until, true);
    }

    private void advance(Instant to, boolean inclusive) {
        if (clock == null) {
            clock = to;
            nextDay = context.deadlines().startOf(LocalDate.ofInstant(to, zone).plusDays(1));
        }
        while (true) {
            Instant due = duties.next();
            boolean dayFirst = !nextDay.isAfter(to) && (due == null || !nextDay.isAfter(due));
            if (dayFirst) {
                Instant start = nextDay;
                LocalDate date = LocalDate.ofInstant(start, zone);
                nextDay = context.deadlines().startOf(date.plusDays(1));
                // A complaint received longer than complaint.repeat.window ago can no longer make a
                // repeat (the only rule that reads households looks back that far), so it is
                // dropped once a day; kept, every complaint ever received stays in memory. The extra
                // day covers an event up to a day older than the clock, taken as if it came now.
                tracker.households().forgetBefore(start.minus(context.params().duration("complaint.repeat.window"))
                        .minus(java.time.Duration.ofDays(1)));
                // Likewise a ticket closed longer than archiveAfter ago takes no more events (Tracker.check):
                // it is dropped, with its duties and KPI parts; its KPI counts stay where they were.
                tracker.forgetArchived(start);
                archivedBefore = start.minus(archiveAfter()).minus(Tracker.ARCHIVE_SLACK);
                duties.forgetBefore(archivedBefore);
                if (history != null) {
                    setAside(start);
                }
                kpis.retire(start);
                if (tracker.hasDailyDuties()) {
                    lastDay = start;
                    now(start);
                    fire(List.of(new DayStarted(date, start, tracker.buildings(), tracker.communityFirstDay())));
                    settle();
                }
                continue;
            }
            if (due != null && (due.isBefore(to) || (inclusive && due.equals(to)))) {
                now(due);
                lastJudged = due;
                List<Duty> breached = duties.judgeUntil(due, true);
                List<Object> overdue = new ArrayList<>();
                for (Duty d : breached) {
                    kpis.duty(d);
                    if (d.getTicket() != null) {
                        touched.add(d.getTicket());
                    }
                    if (Duties.CHECK.equals(d.getKind())) {
                        overdue.add(new pm.monitor.fact.Overdue(d, d.getTicket(), d.getRule(), d.getSubject(), due));
                    }
                }
                fire(overdue);
                settle();
                continue;
            }
            break;
        }
    }

    /**
     * Open tickets untouched for {@code ticket.dormant-after}, with no duty open, leave memory at
     * this day start, each with a ticket.dormant finding (Findings.dormant). Open tickets never
     * closed otherwise stay for ever (issue 17.16: 1.16 M of them filled a 2 GB heap).
     */
    private void setAside(Instant start) {
        java.time.Duration after = context.params().duration("ticket.dormant-after");
        List<Ticket> idle = tracker.untouched(start, after);
        // the ticket brought back for the event being taken is touched by it, whatever day starts
        // that event's time passes first
        idle.removeIf(t -> t.getId().equals(wokenFor));
        if (idle.isEmpty()) {
            return;
        }
        now(start);
        if (lastDay == null || start.isAfter(lastDay)) {
            lastDay = start; // something happened here: an event stamped before it is out of order
        }
        for (Ticket t : idle) {
            findings.dormant(t, t.getLastEventAt(), after, context.deadlines().describe(t.getLastEventAt()));
        }
        fire(List.of()); // hands the findings out (rules that watch findings see them)
        for (Ticket t : idle) {
            tracker.makeDormant(t, start);
        }
    }

    /**
     * An event for a ticket that left memory untouched brings it back first: rebuilt from its
     * stored events by a fresh engine of the same rules, calendar and zone, run to when it left
     * (its duties were all settled then, so none was judged while it was away), then taken into
     * this community's facts and KPIs as it was. The event is then checked and taken as if the
     * ticket had never left.
     */
    private void wakeIfDormant(Event e) {
        String id = e instanceof pm.monitor.event.Events.TicketReceived r ? r.ticket()
                : e instanceof Event.OfTicket o ? o.ticket() : null;
        if (id == null || tracker.ticket(id) != null) {
            return;
        }
        Instant[] dormant = tracker.dormant(id);
        if (dormant == null) {
            return;
        }
        CommunityEngine scratch = new CommunityEngine(code, rules, f -> { });
        try {
            scratch.zone = zone;
            scratch.calendarName = calendarName;
            scratch.context.deadlines(scratch.deadlines(rules));
            scratch.global("deadlines", scratch.context.deadlines());
            scratch.kpis.zone(zone);
            for (Event past : history.eventsOf(code, id)) {
                if (past.at().isAfter(dormant[0]) || past.id().equals(e.id())) {
                    continue; // taken after it left (this event, one refused then): not its past
                }
                try {
                    scratch.accept(past);
                } catch (EventException refused) {
                    // refused when it came too
                }
            }
            scratch.advanceTo(dormant[1], false);
            Ticket back = scratch.tracker.ticket(id);
            if (back != null) {
                tracker.wake(back);
                kpis.adopt(back);
                wokenFor = id;
            }
        } finally {
            scratch.dispose();
        }
    }

    /** The ticket brought back for the event checked last, until that event is taken. */
    private String wokenFor;

    private void now(Instant at) {
        if (clock == null || at.isAfter(clock)) {
            clock = at;
        }
        context.now(at);
        long millis = at.toEpochMilli();
        if (millis > sessionMillis) {
            SessionPseudoClock c = session.getSessionClock();
            c.advanceTime(millis - sessionMillis, TimeUnit.MILLISECONDS);
            sessionMillis = millis;
        }
    }

    private void register(CommunityRegistered c) {
        ZoneId newZone = ZoneId.of(c.timezone());
        if (!newZone.equals(zone) || !c.calendar().equals(calendarName)) {
            zone = newZone;
            calendarName = c.calendar();
            coveredFrom = Long.MAX_VALUE;
            coveredTo = Long.MIN_VALUE;
            context.deadlines(deadlines(rules));
            global("deadlines", context.deadlines());
            kpis.zone(zone);
            nextDay = context.deadlines().startOf(LocalDate.ofInstant(c.at(), zone).plusDays(1));
        }
    }

    /**
     * Inserts the facts, fires, and removes them again: the session only ever holds the present.
     * Findings emitted meanwhile go out, and those some rule reacts to are shown to the rules in
     * turn.
     */
    private void fire(List<?> facts) {
        if (!facts.isEmpty()) {
            for (Object f : facts) {
                handles.add(session.insert(f));
            }
            try {
                session.fireAllRules();
            } catch (RuntimeException e) {
                throw unwrap(e);
            } finally {
                for (FactHandle h : handles) {
                    session.delete(h);
                }
                handles.clear();
            }
        }
        List<Finding> emitted = context.drain();
        if (emitted.isEmpty()) {
            return;
        }
        List<Finding> watched = null;
        for (Finding f : emitted) {
            sink.accept(f);
            kpis.finding(f);
            if (rules.watchesFindingsOf(f.rule())) {
                if (watched == null) {
                    watched = new ArrayList<>();
                }
                watched.add(f);
            }
        }
        fire(watched == null ? List.of() : watched);
    }

    /** Brings the KPIs up to date after a step, and lets the KPI rules see any that fell. */
    private void settle() {
        for (Duty d : duties.drainSettled()) {
            kpis.duty(d);
            if (d.getTicket() != null) {
                touched.add(d.getTicket());
            }
        }
        if (!touched.isEmpty()) {
            for (Ticket t : touched) {
                kpis.ticket(t);
            }
            touched.clear();
        }
        List<KpiFell> fell = kpis.evaluate(context.now());
        if (!fell.isEmpty()) {
            fire(fell);
        }
    }

    private static RuntimeException unwrap(RuntimeException e) {
        Throwable t = e;
        while (t.getCause() != null && t != t.getCause()) {
            if (t instanceof CalendarException c) {
                return c;
            }
            t = t.getCause();
        }
        return t instanceof CalendarException c ? c : e;
    }

    /** The tickets behind a KPI of this community for a period, each with whether it counts as good. */
    public List<java.util.Map.Entry<String, Boolean>> ticketsBehind(String kpi, String period) {
        return kpis.ticketsBehind(tracker.tickets(), kpi, period);
    }

    /**
     * A ticket's deadlines as its timeline shows them: rule, clause, state, due time, how it was
     * computed and when it was settled; empty for an unknown ticket.
     */
    public List<java.util.Map<String, Object>> deadlinesOf(String ticketId) {
        Ticket t = tracker.ticket(ticketId);
        List<java.util.Map<String, Object>> out = new ArrayList<>();
        if (t == null) {
            return out;
        }
        for (Duty d : t.getDuties()) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("rule", d.getRule());
            m.put("clause", d.getClause());
            m.put("notify", d.getNotify());
            m.put("ownerRole", d.getOwnerRole());
            m.put("owner", d.getOwner());
            m.put("kind", d.getKind());
            m.put("cycle", d.getCycle());
            m.put("state", d.getState().name().toLowerCase());
            m.put("startsAt", pm.monitor.calendar.Times.iso(d.getDeadline().startsAt(), zone));
            m.put("dueAt", pm.monitor.calendar.Times.iso(d.getDueAt(), zone));
            Deadlines.Explanation e = context.deadlines().explain(d.getDeadline());
            m.put("explain", e.text());
            // the same facts as data: the page says them in the reader's language (explain.js)
            m.put("deadline", e.facts());
            m.put("settledAt", pm.monitor.calendar.Times.iso(d.getSettledAt(), zone));
            m.put("note", d.getNote());
            out.add(m);
        }
        return out;
    }

    public void dispose() {
        session.dispose();
    }
}
