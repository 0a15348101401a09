package pm.monitor.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;
import pm.monitor.calendar.Deadline;
import pm.monitor.calendar.Deadlines;
import pm.monitor.fact.Duty;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Finding;

/**
 * The rules' global {@code duties}: the time limits of one community. A rule opens a duty when
 * its clock starts ({@code duties.open(drools, $ticket, deadline)}), other rules meet or waive
 * it, and the runtime judges it when the event-time clock passes its deadline: still open, it
 * becomes the finding of the rule that opened it, taking its {@code @id}, {@code @clause},
 * {@code @notify} and {@code @kind} (violation unless the rule says alert). Time-limit
 * violations are warned of first, when {@code warning.at} of the time is used.
 *
 * <p>Deadlines are kept in one priority queue instead of waiting Drools patterns
 * ({@code not ... after}): the session then holds only the facts of the current event, so
 * memory grows with open duties, not with the events seen.
 */
public final class Duties {
    private record Key(String rule, String subject) {
    }

    /** A judgement due at {@code at} (epoch millis: comparing longs keeps the queue cheap). */
    private record Due(long at, long seq, Duty duty, boolean warning) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** The kind of a duty whose breach is left to the rules (an {@link pm.monitor.fact.Overdue} fact). */
    public static final String CHECK = "check";

    private final CommunityContext context;
    /**
     * Open duties of subjects that are not tickets (incidents, building-days, issues). A ticket's
     * duties are looked up on the ticket itself: a handful, and no hashing on every event.
     */
    private final Map<Key, List<Duty>> open = new HashMap<>();
    private final PriorityQueue<Due> queue = new PriorityQueue<>();
    private long seq;
    private final List<Duty> settled = new ArrayList<>();
    /**
     * Duties of subjects that are not tickets (building-days, issues, incidents), kept after they
     * settle so that who answered for them can be counted (the People page); a ticket's are on the
     * ticket. Dropped with the archive horizon ({@link #forgetBefore}), as tickets are.
     */
    private final java.util.ArrayDeque<Duty> ledger = new java.util.ArrayDeque<>();

    public Duties(CommunityContext context) {
        this.context = context;
    }

    // ---- for the rules ------------------------------------------------------------------------

    /** Opens the calling rule's duty for a ticket, in the ticket's current cycle. */
    public Duty open(RuleContext drools, Ticket ticket, Deadline deadline) {
        return open(drools.getRule(), ticket.getId(), ticket.getCycle(), ticket, deadline);
    }

    /** Opens the calling rule's duty for any other subject (an incident, a building-day, an issue). */
    public Duty open(RuleContext drools, String subject, Deadline deadline) {
        return open(drools.getRule(), subject, 0, null, deadline);
    }

    /**
     * Opens the calling rule's duty for a subject, judged only {@code wait} after its deadline:
     * for a duty that an event stamped after the deadline may still show met in time (a patrol
     * completed at 00:20 that started at 23:30 is the day's patrol). Its violation, if it comes,
     * is still stamped at the deadline. At the end of a replay ({@link #judgeAllDueBy}) no more
     * events can come, and the wait ends.
     */
    public Duty open(RuleContext drools, String subject, Deadline deadline, java.time.Duration wait) {
        return open(drools.getRule(), subject, 0, null, deadline, wait.toMillis());
    }

    /** Opens a duty for a subject that belongs to a ticket (e.g. a patrol issue's ticket). */
    public Duty open(RuleContext drools, String subject, Ticket ticket, Deadline deadline) {
        return open(drools.getRule(), subject, 0, ticket, deadline);
    }

    /**
     * Meets the open duties of the calling rule's id for a ticket; a duty of it already
     * breached records the lateness.
     */
    public void meet(RuleContext drools, Ticket ticket) {
        meet(CommunityContext.meta(drools.getRule(), "id"), ticket);
    }

    public void meet(String rule, Ticket ticket) {
        List<Duty> all = ticket.getDuties();
        for (int i = 0; i < all.size(); i++) {
            Duty d = all.get(i);
            if (d.getRule().equals(rule)) {
                if (d.isOpen()) {
                    d.meet(context.now());
                    settled.add(d);
                } else if (d.isBreached() && d.getSettledAt() == null) {
                    d.meet(context.now()); // met late: the lateness is recorded, the violation stands
                }
            }
        }
    }

    public void meet(RuleContext drools, String subject) {
        meet(CommunityContext.meta(drools.getRule(), "id"), subject);
    }

    /** Meets the open duties of another rule id (e.g. a closing that ends several duties). */
    public void meet(String rule, String subject) {
        List<Duty> list = open.remove(new Key(rule, subject));
        if (list != null) {
            for (Duty d : list) {
                d.meet(context.now());
                settled.add(d);
            }
        }
    }

    /** The duty no longer applies (e.g. an agreed reply time took the same-day limit's place). */
    public void waive(RuleContext drools, Ticket ticket, String why) {
        String rule = CommunityContext.meta(drools.getRule(), "id");
        for (Duty d : ticket.getDuties()) {
            if (d.isOpen() && d.getRule().equals(rule)) {
                d.waive(context.now(), why);
                settled.add(d);
            }
        }
    }

    public void waive(String rule, String subject, String why) {
        List<Duty> list = open.remove(new Key(rule, subject));
        if (list != null) {
            for (Duty d : list) {
                d.waive(context.now(), why);
                settled.add(d);
            }
        }
    }

    /**
     * An event itself broke the calling rule's open duties for the ticket (e.g. a reply by the
     * wrong method): the violation comes now, with the duty's deadline, and the deadline will
     * not give a second one.
     */
    public void breakNow(RuleContext drools, Ticket ticket, Map<String, Object> details) {
        String rule = CommunityContext.meta(drools.getRule(), "id");
        List<Duty> list = new ArrayList<>(1);
        for (Duty d : ticket.getDuties()) {
            if (d.isOpen() && d.getRule().equals(rule)) {
                list.add(d);
            }
        }
        for (Duty d : list) {
            d.breach();
            d.meet(context.now());
            Map<String, Object> m = details(d, false, null);
            if (details != null) {
                m.putAll(details);
            }
            context.emit(d.getRule(), d.getClause(), d.getNotify(), d.getKind(), d.getSubject(), context.now(),
                    d.getDueAt(), m);
            settled.add(d);
        }
    }

    /**
     * A duty learned of only after its deadline had passed (e.g. the front desk hears on day 2 of
     * something field staff saw on day 1): recorded as breached, reported at its deadline.
     */
    public Duty missed(RuleContext drools, Ticket ticket, Deadline deadline, Map<String, Object> details) {
        Rule rule = drools.getRule();
        if (!context.params().enabled(CommunityContext.meta(rule, "id"))) {
            return null;
        }
        Owner owner = Owner.of(rule);
        Duty duty = new Duty(CommunityContext.meta(rule, "id"), CommunityContext.meta(rule, "clause"),
                CommunityContext.meta(rule, "notify"), Finding.VIOLATION, ticket.getId(), ticket.getCycle(), ticket,
                deadline, seq++, owner == null ? null : owner.role(),
                owner == null ? null : owner.person(ticket, ticket.getId(), context.managers()));
        ticket.addDuty(duty);
        duty.breach();
        duty.meet(context.now());
        Map<String, Object> m = details(duty, false, null);
        if (details != null) {
            m.putAll(details);
        }
        context.emit(duty.getRule(), duty.getClause(), duty.getNotify(), Finding.VIOLATION, duty.getSubject(),
                deadline.dueAt(), deadline.dueAt(), m);
        settled.add(duty);
        return duty;
    }

    public boolean isOpen(String rule, String subject) {
        return open.containsKey(new Key(rule, subject));
    }

    /** A duty of {@code rule} is open for the ticket. */
    public boolean isOpen(String rule, Ticket ticket) {
        for (Duty d : ticket.getDuties()) {
            if (d.isOpen() && d.getRule().equals(rule)) {
                return true;
            }
        }
        return false;
    }

    /** True when a duty of {@code rule} for {@code subject} was ever breached. */
    public boolean wasBreached(String rule, Ticket ticket) {
        for (Duty d : ticket.getDuties()) {
            if (d.getRule().equals(rule) && d.isBreached()) {
                return true;
            }
        }
        return false;
    }

    // ---- for the runtime ----------------------------------------------------------------------

    private Duty open(Rule rule, String subject, int cycle, Ticket ticket, Deadline deadline) {
        return open(rule, subject, cycle, ticket, deadline, 0);
    }

    /** Opens a duty; null, and nothing opened, when its rule is switched off for the community. */
    private Duty open(Rule rule, String subject, int cycle, Ticket ticket, Deadline deadline, long waitMillis) {
        String id = CommunityContext.meta(rule, "id");
        if (!context.params().enabled(id)) {
            return null;
        }
        Key key = null;
        if (ticket != null && subject.equals(ticket.getId())) {
            for (Duty d : ticket.getDuties()) {
                if (d.isOpen() && d.getCycle() == cycle && d.getRule().equals(id)) {
                    return d; // already running for this cycle: a rule firing again changes nothing
                }
            }
        } else {
            key = new Key(id, subject);
            List<Duty> list = open.get(key);
            if (list != null) {
                for (Duty d : list) {
                    if (d.getCycle() == cycle) {
                        return d;
                    }
                }
            }
        }
        Object kind = rule.getMetaData().get("kind");
        String k = kind == null ? Finding.VIOLATION : kind.toString();
        Object notify = rule.getMetaData().get("notify");
        if (notify == null && !CHECK.equals(k)) {
            throw new IllegalStateException("rule \"" + rule.getName() + "\" opens a duty but has no @notify(...)");
        }
        Owner owner = Owner.of(rule);
        Duty duty = new Duty(id, CommunityContext.meta(rule, "clause"), notify == null ? null : notify.toString(), k,
                subject, cycle, ticket, deadline, seq++, owner == null ? null : owner.role(),
                owner == null ? null : owner.person(ticket, subject, context.managers()));
        if (key != null) {
            open.computeIfAbsent(key, x -> new ArrayList<>(1)).add(duty);
        }
        if (ticket != null) {
            ticket.addDuty(duty);
        } else {
            ledger.add(duty);
        }
        queue.add(new Due(deadline.dueAt().toEpochMilli() + Math.max(0, waitMillis), duty.getSeq() * 2 + 1, duty, false));
        if (Finding.VIOLATION.equals(duty.getKind())) {
            double share = warningShare();
            Instant start = deadline.startsAt();
            Instant due = deadline.dueAt();
            if (share > 0 && share < 1 && due.isAfter(start)) {
                long spanMillis = spanMillis(start, due);
                // whole seconds: a warning at 01:45:03.75 reads like noise
                Instant warnAt = Instant.ofEpochSecond(start.plusMillis((long) (spanMillis * share)).getEpochSecond());
                queue.add(new Due(warnAt.toEpochMilli(), duty.getSeq() * 2, duty, true));
            }
        }
        return duty;
    }

    /**
     * {@code Duration.between(start, due).toMillis()}, written out: a Duration per duty opened
     * showed in the replay profile, and only the milliseconds are wanted.
     */
    static long spanMillis(Instant start, Instant due) {
        long seconds = due.getEpochSecond() - start.getEpochSecond();
        int nanos = due.getNano() - start.getNano();
        return seconds * 1000 + Math.floorDiv(nanos, 1_000_000);
    }

    private Params sharedFrom;
    private double share;

    /** warning.at, read once per parameters version: it is asked for every duty opened. */
    private double warningShare() {
        Params p = context.params();
        if (p != sharedFrom) {
            share = p.percent("warning.at");
            sharedFrom = p;
        }
        return share;
    }

    /**
     * The end of a replay at {@code until}: no more events will come, so a duty whose deadline is
     * at or before it and that waits for late events ({@link #open(RuleContext, String, Deadline,
     * java.time.Duration)}) is judged now, by {@link #judgeUntil}, instead of after its wait.
     */
    public void judgeAllDueBy(Instant until) {
        long limit = until.toEpochMilli();
        List<Due> waiting = null;
        for (Due d : queue) {
            if (!d.warning && d.at > limit && d.duty.getDueAt().toEpochMilli() <= limit) {
                waiting = waiting == null ? new ArrayList<>() : waiting;
                waiting.add(d);
            }
        }
        if (waiting != null) {
            for (Due d : waiting) {
                queue.remove(d);
                queue.add(new Due(d.duty.getDueAt().toEpochMilli(), d.seq, d.duty, false));
            }
        }
    }

    /**
     * The duties still open, in the order they were opened: a rules reload judges these again
     * under the new rules (README "Reloads and open duties").
     */
    public List<Duty> stillOpen() {
        List<Duty> out = new ArrayList<>();
        for (Due d : queue) {
            if (!d.warning && d.duty.isOpen()) {
                out.add(d.duty);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Duty::getSeq));
        return out;
    }

    /** How many duties wait for their deadline's judgement (for /metrics: a walk over the queue). */
    public int openCount() {
        int n = 0;
        for (Due d : queue) {
            if (!d.warning && d.duty.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** The duties of subjects that are not tickets, open or settled, oldest first (read on the engine's thread). */
    public java.util.Collection<Duty> others() {
        return java.util.Collections.unmodifiableCollection(ledger);
    }

    /** Forgets the settled duties of other subjects due before {@code horizon}, as tickets are archived. */
    public void forgetBefore(Instant horizon) {
        ledger.removeIf(d -> !d.isOpen() && d.getDueAt().isBefore(horizon));
    }

    /** When the next judgement is due, or null. */
    public Instant next() {
        Due d = queue.peek();
        return d == null ? null : Instant.ofEpochMilli(d.at);
    }

    /**
     * Judges the deadlines before {@code to} (up to and including it when {@code inclusive}), in
     * time order; an open duty gives its finding. Returns the duties breached, in order.
     */
    public List<Duty> judgeUntil(Instant to, boolean inclusive) {
        List<Duty> breached = null;
        long limit = to.toEpochMilli();
        while (!queue.isEmpty()) {
            Due d = queue.peek();
            if (d.at > limit || (d.at == limit && !inclusive)) {
                break;
            }
            queue.poll();
            Duty duty = d.duty;
            Explained explained = d.warning || warned.isEmpty() ? null : warned.remove(duty);
            if (!duty.isOpen()) {
                continue;
            }
            // a duty that waited for late events is judged after its deadline, stamped at it
            Instant at = d.warning ? Instant.ofEpochMilli(d.at) : duty.getDueAt();
            if (d.warning) {
                context.now(at);
                context.emit(duty.getRule(), duty.getClause(), duty.getNotify(), Finding.WARNING, duty.getSubject(),
                        at, duty.getDueAt(), details(duty, true, null));
                continue;
            }
            context.now(Instant.ofEpochMilli(d.at));
            duty.breach();
            if (duty.getTicket() == null || !duty.getSubject().equals(duty.getTicket().getId())) {
                Key key = new Key(duty.getRule(), duty.getSubject());
                List<Duty> list = open.get(key);
                if (list != null) {
                    list.remove(duty);
                    if (list.isEmpty()) {
                        open.remove(key);
                    }
                }
            }
            if (!CHECK.equals(duty.getKind())) {
                context.emit(duty.getRule(), duty.getClause(), duty.getNotify(), duty.getKind(), duty.getSubject(),
                        at, duty.getDueAt(), details(duty, false, explained));
            }
            if (breached == null) {
                breached = new ArrayList<>();
            }
            breached.add(duty);
        }
        return breached == null ? List.of() : breached;
    }

    /** Duties settled (met or waived) since the last call: the runtime updates KPIs from them. */
    public List<Duty> drainSettled() {
        if (settled.isEmpty()) {
            return List.of();
        }
        List<Duty> out = new ArrayList<>(settled);
        settled.clear();
        return out;
    }

    /**
     * The explanation given with a duty's warning, until its deadline is judged: the violation
     * that usually follows explains the same deadline, and writing explanations was a tenth of a
     * replay's time. Kept with the calendar that wrote it (a registration may change it between).
     * An entry leaves when the duty's deadline is judged, met or not: every duty's is, in time.
     */
    private final Map<Duty, Explained> warned = new java.util.HashMap<>();

    private record Explained(Deadlines by, Deadlines.Explanation explanation) {
    }

    /** @param cached what {@link #warned} held for the duty, or null */
    private Map<String, Object> details(Duty duty, boolean warning, Explained cached) {
        Deadlines deadlines = context.deadlines();
        Deadlines.Explanation e = cached != null && cached.by() == deadlines ? cached.explanation()
                : deadlines.explain(duty.getDeadline());
        if (warning) {
            warned.put(duty, new Explained(deadlines, e));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (duty.getTicket() != null) {
            m.put("ticket", duty.getTicket().getId());
            m.put("cycle", duty.getCycle());
        }
        if (duty.getOwnerRole() != null) {
            m.put("ownerRole", duty.getOwnerRole());
            if (duty.getOwner() != null) {
                m.put("owner", duty.getOwner());
            }
        }
        m.put("explain", warning ? "still open with " + Math.round(context.params().percent("warning.at") * 100)
                + "% of the time used; " + e.text() : e.text());
        m.put("deadline", cached != null ? new LinkedHashMap<>(e.facts()) : e.facts()); // each finding its own map
        return m;
    }
}
