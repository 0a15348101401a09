package pm.monitor.kpi;

import static pm.monitor.kpi.KpiIds.*;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import pm.monitor.event.Vocabulary;
import pm.monitor.fact.Duty;
import pm.monitor.fact.KpiFell;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.Params;

/**
 * The KPIs of one community, per day, ISO week and month of event time, kept current as its
 * tickets change. Each ticket's contribution to each KPI is remembered so that a change (a new
 * deadline, a breach, a late response) moves it between numerator and denominator exactly
 * once. Counters are keyed by numbers (see {@link PeriodKeys}): this runs for every event.
 *
 * <p>Which rules' duties count toward the KPIs made of duties is the rules' own word, their
 * {@code @kpi("...")} annotations ({@link KpiMembership}); only violation duties that are not
 * waived count. Readings of HANDBOOK-RULES.md "KPIs" (the catalog gives one line each):
 * <ul>
 * <li>{@code kpi.timeliness}: a ticket counts once in each granularity, in the day, week and
 * month of its last time-limit deadline (of the rules with {@code @kpi("kpi.timeliness")}) (waived ones left out; a deadline of 24:00 belongs to the
 * day that ends), so that the days of a week or month add up to it; it is timely while none of
 * its deadlines is breached. A ticket whose last deadline moves (a new duty opens) moves with it.</li>
 * <li>{@code kpi.response}, {@code kpi.follow-up} (complaints handled: resolved, or closed with no
 * resolution recorded): an item is counted once it is decided: it got
 * its response / follow-up, or one of its deadlines passed without it (of the rules with
 * {@code @kpi("kpi.response")}, resp. {@code @kpi("kpi.follow-up")} in the current cycle). Counting undecided items
 * would put every freshly received ticket below a 100% target.</li>
 * <li>{@code kpi.repair-timeliness}: as timeliness, over the deadlines of repairs of the rules
 * with {@code @kpi("kpi.repair-timeliness")} (counted in the period of the last of them).</li>
 * <li>{@code kpi.repair-completion}: repairs received in the period, resolved by their first
 * deadline of a rule with {@code @kpi("kpi.repair-completion")}.</li>
 * <li>{@code kpi.rework}: repairs first resolved in the period that were reopened within
 * {@code kpi.rework.window} of that resolution.</li>
 * <li>{@code kpi.satisfaction}: follow-ups in the period with {@code satisfied: true}.</li>
 * <li>{@code kpi.calls}: calls in the period answered within {@code call.three-rings.max-rings}.</li>
 * <li>{@code kpi.patrol-coverage}: the duties of rules with {@code @kpi("kpi.patrol-coverage")}
 * (building-days) in the period of their start, counted when decided (patrolled, or the day
 * ended without a patrol).</li>
 * <li>{@code kpi.complaints-by-category}: complaints received in the period per category, with
 * the collective, major and repeat alerts raised in it.</li>
 * </ul>
 */
public final class KpiTracker {
    /** Slots: one per KPI (the order of {@link KpiIds#ALL}), then the report's buckets. */
    private static final List<String> SLOTS = KpiIds.ALL;
    private static final int BUCKETS = 16;
    private static final List<String> BUCKET_NAMES;
    private static final Map<String, Integer> SLOT = new HashMap<>();
    private static final Map<String, Integer> BUCKET = new HashMap<>();

    static {
        List<String> names = new ArrayList<>(Vocabulary.CATEGORY.all());
        names.addAll(List.of("collective", "major", "repeat"));
        BUCKET_NAMES = List.copyOf(names);
        for (int i = 0; i < SLOTS.size(); i++) {
            SLOT.put(SLOTS.get(i), i);
        }
        for (int i = 0; i < BUCKET_NAMES.size(); i++) {
            BUCKET.put(BUCKET_NAMES.get(i), BUCKETS + i);
        }
    }

    private static final int S_TIMELINESS = SLOT.get(TIMELINESS);
    private static final int S_CATEGORY = SLOT.get(COMPLAINTS_BY_CATEGORY);
    /** Per ticket, in this order, the KPIs made of tickets. */
    private static final int[] TICKET_SLOTS = {S_TIMELINESS, SLOT.get(RESPONSE), SLOT.get(FOLLOW_UP),
            SLOT.get(REPAIR_TIMELINESS), SLOT.get(REPAIR_COMPLETION), SLOT.get(REWORK), S_CATEGORY};

    /**
     * One ticket's place in one KPI: the local day it counts in (its week and month are that
     * day's, so days add up to weeks and months) and whether it counts as good; it remembers the
     * counters it was added to, so taking it out again needs no lookup.
     */
    private static final class Part {
        final long day;
        final boolean good;
        final int slot;
        Counter[] counted;

        Part(long day, boolean good, int slot) {
            this.day = day;
            this.good = good;
            this.slot = slot;
        }

        boolean is(long day, boolean good, int slot) {
            return this.day == day && this.good == good && this.slot == slot;
        }
    }

    /** One KPI (or report bucket) of one period: numerator, denominator, and whether it waits to be looked at. */
    private static final class Counter {
        final long key;
        long numerator;
        long denominator;
        boolean changed;
        boolean dirty;
        /** null: never judged; else whether it met its target when last judged */
        Boolean met;
        int falls;
        /** Out of memory (see {@link #retire}): its value is final, changes to it are ignored. */
        boolean retired;

        Counter(long key) {
            this.key = key;
        }
    }

    /**
     * Counters by their key, in an open-addressed table of the counters themselves: a KPI step
     * looks up a few counters per ticket touched, and a {@code HashMap<Long, …>} boxed every key
     * (a third of the allocations of the KPI code in a replay profile).
     */
    private static final class CounterTable {
        private Counter[] slots = new Counter[64];
        private int size;

        int size() {
            return size;
        }

        Counter get(long key) {
            int mask = slots.length - 1;
            for (int i = index(key, mask); ; i = (i + 1) & mask) {
                Counter c = slots[i];
                if (c == null || c.key == key) {
                    return c;
                }
            }
        }

        /** Adds a counter whose key is not in the table. */
        void add(Counter c) {
            if ((size + 1) * 2 > slots.length) {
                Counter[] old = slots;
                slots = new Counter[old.length * 2];
                for (Counter x : old) {
                    if (x != null) {
                        put(x);
                    }
                }
            }
            put(c);
            size++;
        }

        private void put(Counter c) {
            int mask = slots.length - 1;
            int i = index(c.key, mask);
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = c;
        }

        void forEach(java.util.function.Consumer<Counter> f) {
            for (Counter c : slots) {
                if (c != null) {
                    f.accept(c);
                }
            }
        }

        /** Removes the counters {@code gone} says, and returns them (the table is built again: once a day). */
        List<Counter> removeIf(java.util.function.Predicate<Counter> gone) {
            List<Counter> removed = new ArrayList<>();
            List<Counter> kept = new ArrayList<>(size);
            for (Counter c : slots) {
                if (c != null) {
                    (gone.test(c) ? removed : kept).add(c);
                }
            }
            if (!removed.isEmpty()) {
                int n = 64;
                while (kept.size() * 2 > n) {
                    n *= 2;
                }
                slots = new Counter[n];
                for (Counter c : kept) {
                    put(c);
                }
                size = kept.size();
            }
            return removed;
        }

        private static int index(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }

    private static final String[] TARGETS = new String[SLOTS.size()];

    static {
        for (int i = 0; i < SLOTS.size(); i++) {
            TARGETS[i] = KpiIds.targetParameter(SLOTS.get(i));
        }
    }

    private final String community;
    private final Supplier<Params> params;
    private PeriodKeys periods;
    /** key (slot, kind, ordinal) → counter */
    private final CounterTable counters = new CounterTable();
    /** KPI counters (not buckets) changed since the last evaluation. */
    private final List<Counter> changed = new ArrayList<>();
    /** KPIs back at their target after a fall, since the last {@link #drainRecovered()}. */
    private final List<KpiRecovered> recovered = new ArrayList<>();
    /** Whether recoveries are kept for {@link #drainRecovered()} (only a serving engine's are drained). */
    private boolean recording;
    /** Counters changed since the last {@link #drainChanged()}. */
    private final List<Counter> dirty = new ArrayList<>();

    /**
     * Days and weeks are kept this many days after they end (two months back from the dashboard's
     * "today"); months this many months (a year back for the monthly report, and the current one).
     */
    public static final int KEEP_DAYS = 62;
    public static final int KEEP_MONTHS = 13;
    /** Periods before these (local epoch day, week ordinal, month ordinal) are retired. */
    private long dayCut = Long.MIN_VALUE;
    private long weekCut = Long.MIN_VALUE;
    private long monthCut = Long.MIN_VALUE;
    /** Retired counters, while {@link #keepRetired}: for {@link #counters()} and {@link #snapshot()}. */
    private final Map<Long, long[]> retired = new HashMap<>();
    private boolean keepRetired = true;
    /** Retired counters not yet drained ({@link #drainChanged} may still read a bucket's neighbours). */
    private final Map<Long, Counter> retiring = new HashMap<>();
    private final List<String> retiredPeriods = new ArrayList<>();
    /** Stands for a counter of a retired period: counts nothing. */
    private static final Counter GONE = new Counter(-1);

    static {
        GONE.retired = true;
    }

    /** @param members which rules' duties count toward which KPI (the rules' {@code @kpi} annotations) */
    public KpiTracker(String community, ZoneId zone, Supplier<Params> params, KpiMembership members) {
        this.community = community;
        this.params = params;
        this.members = members;
        this.periods = new PeriodKeys(zone);
    }

    private final KpiMembership members;

    /**
     * Whether retired values stay in {@link #counters()} and {@link #snapshot()} (a replay reports
     * every period it saw) or leave memory (the service: the live board had them, the store keeps them).
     */
    public void keepRetired(boolean keep) {
        this.keepRetired = keep;
    }

    /**
     * Retires the KPI values of old periods, at the start of the local day of {@code dayStart}
     * (event time, so replay and serve retire the same): days and weeks that ended
     * {@link #KEEP_DAYS} or more days before, months {@link #KEEP_MONTHS} or more months before.
     * A retired value is final: a later change to a ticket that counted in it (an old ticket
     * reopened, say) no longer moves it. Kept, every day, week and month ever counted would stay
     * in memory.
     */
    public void retire(Instant dayStart) {
        long today = periods.day(dayStart);
        long dCut = today - KEEP_DAYS;
        long wCut = periods.week(dCut);
        long mCut = periods.month(today) - KEEP_MONTHS;
        if (dCut <= dayCut && wCut <= weekCut && mCut <= monthCut) {
            return;
        }
        if (dCut <= oldest[PeriodKeys.DAY] && wCut <= oldest[PeriodKeys.WEEK] && mCut <= oldest[PeriodKeys.MONTH]) {
            // no live counter is that old: nothing to scan for (the cuts move every day, and the
            // scan of every counter was a daily cost of each community)
            dayCut = Math.max(dayCut, dCut);
            weekCut = Math.max(weekCut, wCut);
            monthCut = Math.max(monthCut, mCut);
            return;
        }
        if (dirty.isEmpty()) {
            retiring.clear(); // (a replay never drains)
        }
        dayCut = Math.max(dayCut, dCut);
        weekCut = Math.max(weekCut, wCut);
        monthCut = Math.max(monthCut, mCut);
        java.util.Set<Long> labels = new java.util.TreeSet<>();
        java.util.Arrays.fill(oldest, Long.MAX_VALUE);
        for (Counter c : counters.removeIf(c -> {
            boolean gone = isRetired(kindOf(c.key), ordinalOf(c.key));
            if (!gone) {
                older(kindOf(c.key), ordinalOf(c.key));
            }
            return gone;
        })) {
            c.retired = true;
            retiring.put(c.key, c);
            if (keepRetired) {
                retired.put(c.key, new long[] {c.numerator, c.denominator});
            }
            labels.add(((long) kindOf(c.key) << 32) | (ordinalOf(c.key) & 0xffffffffL));
        }
        for (long l : labels) {
            retiredPeriods.add(PeriodKeys.label((int) (l >>> 32), (int) l));
        }
    }

    /** The oldest ordinal among the live counters of each period kind (a lower bound). */
    private final long[] oldest = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};

    private void older(int kind, long ordinal) {
        if (ordinal < oldest[kind]) {
            oldest[kind] = ordinal;
        }
    }

    private boolean isRetired(int kind, long ordinal) {
        return switch (kind) {
            case PeriodKeys.DAY -> ordinal < dayCut;
            case PeriodKeys.WEEK -> ordinal < weekCut;
            default -> ordinal < monthCut;
        };
    }

    /** The periods retired since the last call (their values leave the live board). */
    public List<String> drainRetired() {
        if (retiredPeriods.isEmpty()) {
            return List.of();
        }
        List<String> out = List.copyOf(retiredPeriods);
        retiredPeriods.clear();
        return out;
    }

    /** A community's registration may change its zone. */
    public void zone(ZoneId zone) {
        this.periods = new PeriodKeys(zone);
    }

    static long key(int slot, int kind, long ordinal) {
        return ((long) slot << 34) | ((long) kind << 32) | (ordinal & 0xffffffffL);
    }

    static int slotOf(long key) {
        return (int) (key >>> 34);
    }

    static int kindOf(long key) {
        return (int) ((key >>> 32) & 3);
    }

    static long ordinalOf(long key) {
        return (int) key;
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Recomputes a ticket's contributions after it changed. */
    public void ticket(Ticket t) {
        Part[] old = (Part[]) t.kpiState;
        Part[] now = parts(t, old);
        for (int i = 0; i < now.length; i++) {
            Part o = old == null ? null : old[i];
            Part n = now[i];
            if (o == n) { // as it was (parts keeps the old part, with the counters it holds)
                continue;
            }
            apply(o, -1);
            apply(n, +1);
        }
        t.kpiState = now;
    }

    /**
     * Takes back a ticket that left memory untouched (Tracker.wake), rebuilt as it was when it
     * left: its contributions are counted already, so they are only remembered here (without
     * their counters: a change later takes them out of whichever period still counts them).
     */
    public void adopt(Ticket t) {
        t.kpiState = parts(t, null);
    }

    /** An item counted once, e.g. a follow-up for satisfaction or a call. */
    public void count(String kpi, Instant at, boolean good) {
        long day = periods.day(at);
        apply(new Part(day, good, SLOT.get(kpi)), +1);
    }

    /** A duty settled or breached: building-days count for patrol coverage. */
    public void duty(Duty d) {
        if ((members.of(d.getRule()) & KpiMembership.PATROL_COVERAGE) != 0 && d.getState() != Duty.State.WAIVED
                && Finding.VIOLATION.equals(d.getKind())) {
            count(PATROL_COVERAGE, d.getDeadline().startsAt(), d.getState() == Duty.State.MET);
        }
    }

    /** Findings the monthly report counts (collective, major and repeat complaints). */
    public void finding(Finding f) {
        if (!Finding.ALERT.equals(f.kind())) {
            return;
        }
        String bucket = switch (f.rule()) {
            case "complaint.collective" -> "collective";
            case "complaint.major" -> "major";
            case "complaint.repeat" -> "repeat";
            default -> null;
        };
        if (bucket != null) {
            long day = periods.day(f.at());
            apply(new Part(day, false, BUCKET.get(bucket)), +1);
        }
    }

    /**
     * The ticket's parts now. A part that is as it was is the old one ({@link #part}): most steps
     * change none of a ticket's parts, and this runs for every ticket an event touches.
     */
    private Part[] parts(Ticket t, Part[] old) {
        Part[] p = new Part[TICKET_SLOTS.length];
        Instant max = null;
        boolean breached = false;
        boolean responseBreached = false;
        Instant rMax = null;
        boolean rBreached = false;
        boolean followUpBreached = false;
        Instant twoDaysDue = null;
        for (Duty d : t.getDuties()) {
            if (!Finding.VIOLATION.equals(d.getKind()) || d.getState() == Duty.State.WAIVED) {
                continue;
            }
            int kpis = members.of(d.getRule());
            if (kpis == 0) {
                continue;
            }
            // A deadline of "24:00 on D" is the instant 00:00 of D+1; it belongs to day D
            // (PeriodKeys.dayBefore, on the latest).
            Instant due = d.getDueAt();
            if ((kpis & KpiMembership.TIMELINESS) != 0) {
                max = max == null || due.isAfter(max) ? due : max;
                breached |= d.isBreached();
            }
            if ((kpis & KpiMembership.RESPONSE) != 0) {
                responseBreached |= d.isBreached();
            }
            if ((kpis & KpiMembership.REPAIR_TIMELINESS) != 0) {
                rMax = rMax == null || due.isAfter(rMax) ? due : rMax;
                rBreached |= d.isBreached();
            }
            if ((kpis & KpiMembership.FOLLOW_UP) != 0 && d.getCycle() == t.getCycle()) {
                followUpBreached |= d.isBreached();
            }
            if ((kpis & KpiMembership.REPAIR_COMPLETION) != 0 && twoDaysDue == null) {
                twoDaysDue = d.getDueAt();
            }
        }
        if (max != null) {
            long day = periods.dayBefore(max);
            p[0] = part(old, 0, day, !breached, TICKET_SLOTS[0]);
        }
        long received = periods.day(t.getReceivedAt());
        boolean responded = t.getFirstResponseAt() != null;
        if (responded || responseBreached) {
            p[1] = part(old, 1, received, responded, TICKET_SLOTS[1]);
        }
        // handled: resolved, or (in its current cycle) closed with no resolution recorded (BJ 五.5)
        boolean closedUnresolved = t.getResolvedAt() == null && t.getClosedAt() != null;
        Instant handled = closedUnresolved ? t.getClosedAt() : t.getLastResolvedAt();
        if (t.isComplaint() && handled != null) {
            boolean followed = closedUnresolved ? t.getFollowedUpAt() != null // in this cycle, before or after closing
                    : t.getLastFollowedUpAt() != null && !t.getLastFollowedUpAt().isBefore(handled);
            if (followed || followUpBreached) {
                long day = periods.day(handled);
                p[2] = part(old, 2, day, followed, TICKET_SLOTS[2]);
            }
        }
        if (t.isRepair()) {
            if (rMax != null) {
                long day = periods.dayBefore(rMax);
                p[3] = part(old, 3, day, !rBreached, TICKET_SLOTS[3]);
            }
            Instant resolved = t.getFirstResolvedAt();
            p[4] = part(old, 4, received, resolved != null && twoDaysDue != null && !resolved.isAfter(twoDaysDue),
                    TICKET_SLOTS[4]);
            if (resolved != null) {
                Duration window = reworkWindow();
                boolean reworked = t.getReopenedAt() != null && !t.getReopenedAt().isAfter(resolved.plus(window));
                long day = periods.day(resolved);
                p[5] = part(old, 5, day, reworked, TICKET_SLOTS[5]);
            }
        }
        if (t.isComplaint()) {
            Integer bucket = BUCKET.get(t.getCategory() == null ? "other" : t.getCategory());
            p[6] = part(old, 6, received, true, bucket);
        }
        return p;
    }

    private static Part part(Part[] old, int i, long day, boolean good, int slot) {
        Part o = old == null ? null : old[i];
        if (o != null && o.is(day, good, slot)) {
            return o;
        }
        return new Part(day, good, slot);
    }

    private Params windowFrom;
    private Duration window;

    /** kpi.rework.window, read once per parameters version. */
    private Duration reworkWindow() {
        Params p = params.get();
        if (p != windowFrom) {
            window = p.duration("kpi.rework.window");
            windowFrom = p;
        }
        return window;
    }

    private void apply(Part part, int sign) {
        if (part == null) {
            return;
        }
        boolean bucket = part.slot >= BUCKETS;
        if (part.counted != null) {
            for (Counter c : part.counted) {
                count(c, part.good, sign, bucket);
            }
            return;
        }
        long day = part.day;
        Counter[] counted = {add(part.slot, PeriodKeys.DAY, day, part.good, sign, bucket),
                add(part.slot, PeriodKeys.WEEK, periods.week(day), part.good, sign, bucket),
                add(part.slot, PeriodKeys.MONTH, periods.month(day), part.good, sign, bucket)};
        part.counted = counted;
    }

    private Counter add(int slot, int kind, long ordinal, boolean good, int sign, boolean bucket) {
        if (isRetired(kind, ordinal)) {
            return GONE;
        }
        long k = key(slot, kind, ordinal);
        Counter c = counters.get(k);
        if (c == null) {
            c = new Counter(k);
            counters.add(c);
            older(kind, ordinal);
        }
        count(c, good, sign, bucket);
        return c;
    }

    private void count(Counter c, boolean good, int sign, boolean bucket) {
        if (c.retired) {
            return;
        }
        c.denominator += sign;
        if (good) {
            c.numerator += sign;
        }
        if (!bucket && !c.changed) {
            c.changed = true;
            changed.add(c);
        }
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    // ---- outputs ------------------------------------------------------------------------------

    /**
     * The KPIs that fell below target since the last call (from meeting it, or from having no
     * value), at event time {@code at}. A KPI must recover before it can fall again.
     */
    public List<KpiFell> evaluate(Instant at) {
        if (changed.isEmpty()) {
            return List.of();
        }
        List<KpiFell> fell = null;
        Params p = null;
        int minDenominator = 0;
        int minDayDenominator = 0;
        for (Counter counter : changed) {
            counter.changed = false;
            long k = counter.key;
            String targetParameter = TARGETS[slotOf(k)];
            if (targetParameter == null) {
                continue;
            }
            String kpi = SLOTS.get(slotOf(k));
            if (p == null) {
                p = params.get();
                minDenominator = p.count("kpi.alert.min-denominator");
                minDayDenominator = Math.max(minDenominator, p.count("kpi.alert.min-denominator.day"));
            }
            if (counter.denominator < (kindOf(k) == PeriodKeys.DAY ? minDayDenominator : minDenominator)) {
                continue;
            }
            double target = p.percent(targetParameter);
            double value = (double) counter.numerator / counter.denominator;
            boolean met = value >= target - 1e-9;
            Boolean before = counter.met;
            counter.met = met;
            if (!met && (before == null || before)) {
                int n = ++counter.falls;
                if (fell == null) {
                    fell = new ArrayList<>();
                }
                fell.add(new KpiFell(kpi, community, PeriodKeys.label(kindOf(k), ordinalOf(k)), value,
                        counter.numerator, counter.denominator, target, at, n));
            } else if (recording && met && before != null && !before) {
                recovered.add(new KpiRecovered(kpi, community, PeriodKeys.label(kindOf(k), ordinalOf(k)), value,
                        counter.numerator, counter.denominator, target, at));
            }
        }
        changed.clear();
        if (fell != null) {
            fell.sort(Comparator.comparing(KpiFell::kpi).thenComparing(KpiFell::period));
        }
        return fell == null ? List.of() : fell;
    }

    /**
     * The KPIs that came back to their target after falling below it, since the last call (judged
     * by {@link #evaluate}, at its event time): the alerts of their falls are resolved.
     */
    /** Keeps recoveries for {@link #drainRecovered()} from now on (off by default: nobody would drain them). */
    public void recordRecoveries() {
        recording = true;
    }

    public List<KpiRecovered> drainRecovered() {
        if (recovered.isEmpty()) {
            return List.of();
        }
        List<KpiRecovered> out = List.copyOf(recovered);
        recovered.clear();
        return out;
    }

    /** The values of the KPIs that changed since the last call (for the live board and the store). */
    public List<Kpi> drainChanged() {
        if (dirty.isEmpty()) {
            retiring.clear();
            return List.of();
        }
        Map<Long, long[]> subset = new HashMap<>();
        for (Counter c : dirty) {
            c.dirty = false;
            long k = c.key;
            if (slotOf(k) >= BUCKETS) {
                // a report value is the whole breakdown of its period
                for (int b = BUCKETS; b < BUCKETS + BUCKET_NAMES.size(); b++) {
                    long bk = key(b, kindOf(k), ordinalOf(k));
                    Counter x = counters.get(bk);
                    if (x == null) {
                        x = retiring.get(bk);
                    }
                    if (x != null) {
                        subset.put(bk, new long[] {x.numerator, x.denominator});
                    }
                }
            } else {
                subset.put(k, new long[] {c.numerator, c.denominator});
            }
        }
        dirty.clear();
        retiring.clear();
        List<Kpi> out = new ArrayList<>(snapshot(community, subset, params.get()));
        // A counter a ticket left (its deadlines moved to another period) may be empty now: say so,
        // so that the live board and the store drop the old value instead of keeping it.
        java.util.Set<String> present = new java.util.HashSet<>();
        out.forEach(k -> present.add(k.kpi() + "|" + k.period()));
        for (Map.Entry<Long, long[]> e : subset.entrySet()) {
            long k = e.getKey();
            int slot = slotOf(k);
            String kpi = slot >= BUCKETS ? COMPLAINTS_BY_CATEGORY : SLOTS.get(slot);
            String period = PeriodKeys.label(kindOf(k), ordinalOf(k));
            if (present.add(kpi + "|" + period)) {
                out.add(new Kpi(kpi, community, period, null, 0, 0, null, null, null));
            }
        }
        return out;
    }

    /** The counters, key → {numerator, denominator}, for company totals (keys do not depend on the zone). */
    public Map<Long, long[]> counters() {
        Map<Long, long[]> out = new HashMap<>((counters.size() + retired.size()) * 2);
        out.putAll(retired);
        counters.forEach(c -> out.put(c.key, new long[] {c.numerator, c.denominator}));
        return out;
    }

    /** Every KPI of this community with something counted, sorted by KPI and period. */
    public List<Kpi> snapshot() {
        return snapshot(community, counters(), params.get());
    }

    /** KPIs from counters (one community's, or summed over the company with {@code community = "*"}). */
    public static List<Kpi> snapshot(String community, Map<Long, long[]> counters, Params params) {
        List<Kpi> out = new ArrayList<>();
        Map<Long, Map<String, Long>> buckets = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : counters.entrySet()) {
            long k = e.getKey();
            long[] c = e.getValue();
            int slot = slotOf(k);
            if (slot >= BUCKETS) {
                long report = key(S_CATEGORY, kindOf(k), ordinalOf(k));
                Map<String, Long> b = buckets.computeIfAbsent(report, x -> new LinkedHashMap<>());
                b.put(BUCKET_NAMES.get(slot - BUCKETS), c[1]);
                continue;
            }
            if (c[1] == 0) {
                continue;
            }
            String kpi = SLOTS.get(slot);
            String targetParameter = KpiIds.targetParameter(kpi);
            Double target = targetParameter == null ? null : params.percent(targetParameter);
            double value = (double) c[0] / c[1];
            out.add(new Kpi(kpi, community, PeriodKeys.label(kindOf(k), ordinalOf(k)), value, c[0], c[1], target,
                    target == null ? null : value >= target - 1e-9, null));
        }
        for (Map.Entry<Long, Map<String, Long>> e : buckets.entrySet()) {
            Map<String, Long> b = new LinkedHashMap<>();
            long total = 0;
            for (String name : BUCKET_NAMES) {
                long n = e.getValue().getOrDefault(name, 0L);
                b.put(name, n);
                if (Vocabulary.CATEGORY.contains(name)) {
                    total += n;
                }
            }
            if (b.values().stream().allMatch(v -> v == 0)) {
                continue;
            }
            long k = e.getKey();
            out.add(new Kpi(COMPLAINTS_BY_CATEGORY, community, PeriodKeys.label(kindOf(k), ordinalOf(k)),
                    (double) total, total, total, null, null, b));
        }
        out.sort(Comparator.comparing(Kpi::kpi).thenComparing(Kpi::period));
        return out;
    }

    /**
     * The tickets behind a ticket KPI's value for one period: each ticket counted in its
     * denominator, with whether it is in the numerator. Empty for KPIs not made of tickets.
     */
    public List<Map.Entry<String, Boolean>> ticketsBehind(Iterable<Ticket> tickets, String kpi, String period) {
        Integer slot = SLOT.get(kpi);
        long[] wanted = PeriodKeys.parse(period);
        List<Map.Entry<String, Boolean>> out = new ArrayList<>();
        int index = -1;
        for (int i = 0; i < TICKET_SLOTS.length; i++) {
            if (slot != null && TICKET_SLOTS[i] == slot) {
                index = i;
            }
        }
        if (index < 0 || wanted == null) {
            return out;
        }
        for (Ticket t : tickets) {
            Part[] parts = (Part[]) t.kpiState;
            Part p = parts == null ? null : parts[index];
            if (p == null) {
                continue;
            }
            boolean in = switch ((int) wanted[0]) {
                case PeriodKeys.DAY -> p.day == wanted[1];
                case PeriodKeys.WEEK -> periods.week(p.day) == wanted[1];
                default -> periods.month(p.day) == wanted[1];
            };
            if (in) {
                out.add(Map.entry(t.getId(), p.good));
            }
        }
        out.sort(Map.Entry.comparingByKey());
        return out;
    }
}
