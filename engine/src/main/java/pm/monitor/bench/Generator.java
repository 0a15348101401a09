package pm.monitor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a realistic, deterministic event stream (the same seed gives the same bytes): N
 * communities × D days of tickets, patrols and calls in the contract's NDJSON, in event-time
 * order. The mix follows what a service centre sees — complaints of the eight categories and
 * three validities, repairs of three urgencies, inquiries and help requests, through every
 * channel — and its lateness distributions put a share of every duty past its limit, so
 * every rule has something to find: late contacts and replies, slow repairs, missed
 * follow-ups, dissatisfied owners and reopenings, repeat and collective complaints, major
 * ones, unpatrolled buildings, missed calls.
 */
public final class Generator {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final String[] CATEGORIES = {"housing", "equipment", "security", "environment", "service", "dispute",
            "developer", "other"};
    private static final String[] VERBAL = {"phone", "visit", "verbal", "app"};

    private final int communities;
    private final int days;
    private final LocalDate start;
    private final long seed;
    private final int ticketsPerDay;
    private final int buildings;

    /** One event line with its time, queued until its day is written. */
    private record Pending(long at, long seq, String json) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    /** Whether every ticket is closed in the end (see {@link #everyTicketCloses()}). */
    private boolean everyTicketCloses;
    private long written;

    public Generator(int communities, int days, LocalDate start, long seed, int ticketsPerDay, int buildings) {
        this.communities = communities;
        this.days = days;
        this.start = start;
        this.seed = seed;
        this.ticketsPerDay = ticketsPerDay;
        this.buildings = buildings;
    }

    /**
     * Closes in the end the tickets this generator otherwise leaves open for good (complaints
     * never resolved, repairs reopened): resolved after 35 to 50 days (after they became
     * major), reopened repairs redone within days. For a long stream that must not pile up
     * open tickets (the soak); the default stream, which tests depend on, is unchanged.
     */
    public Generator everyTicketCloses() {
        this.everyTicketCloses = true;
        return this;
    }

    /** Writes everything; returns the number of events. */
    public long write(Writer out) {
        try {
            for (int c = 0; c < communities; c++) {
                String code = community(c);
                long t0 = instant(start.minusDays(1), 8 * 3600);
                emit(t0, code, "community.registered", "\"name\":\"小区" + (c + 1) + "\",\"timezone\":\"Asia/Shanghai\"");
                for (int b = 1; b <= buildings; b++) {
                    emit(t0 + b, code, "building.registered", "\"building\":\"B" + b + "\",\"manager\":\"m" + b + "\"");
                }
            }
            flushBefore(instant(start, 0), out);
            // Tickets of the last days run on for weeks (follow-ups, reopenings); patrols go on
            // while they do, so the tail is not a run of unpatrolled days.
            for (int d = 0; d < days + TAIL_DAYS && (d < days || !queue.isEmpty()); d++) {
                LocalDate day = start.plusDays(d);
                for (int c = 0; c < communities; c++) {
                    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + c * 7919L + d);
                    if (d < days) {
                        day(community(c), c, day, r);
                    } else {
                        patrols(community(c), day, r);
                    }
                }
                flushBefore(instant(day.plusDays(1), 0), out);
            }
            flushBefore(Long.MAX_VALUE, out);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String community(int c) {
        return String.format("C%04d", c + 1);
    }

    private static final int TAIL_DAYS = 20;

    private void day(String code, int c, LocalDate day, SplittableRandom r) {
        patrols(code, day, r);
        String d = day.toString();
        // Calls: answered within three rings most of the time.
        int calls = ticketsPerDay + r.nextInt(ticketsPerDay / 2 + 1);
        for (int k = 0; k < calls; k++) {
            long at = instant(day, 7 * 3600 + r.nextInt(15 * 3600));
            String call = "K" + d + "-" + k;
            int p = r.nextInt(100);
            if (p < 3) {
                // a third hang up within three rings, a third after five, a third unknown (no extra draw:
                // the rest of the stream stays as it was)
                emit(at, code, "call.missed", "\"call\":\"" + call + "\",\"line\":\"400\""
                        + (p == 0 ? ",\"rings\":2" : p == 1 ? ",\"rings\":5" : ""));
            } else {
                emit(at, code, "call.answered", "\"call\":\"" + call + "\",\"line\":\"400\",\"rings\":" + (p < 88 ? 1 + r.nextInt(3) : 4 + r.nextInt(3)));
            }
        }
        // A collective incident now and then: 5–7 households on one incident within hours.
        if (r.nextInt(100) < 4) {
            String incident = "INC-" + d;
            int n = 5 + r.nextInt(3);
            long base = instant(day, 9 * 3600 + r.nextInt(4 * 3600));
            for (int k = 0; k < n; k++) {
                complaint(code, day, r, base + k * minutes(r, 5, 40), "X" + k, incident, 1 + (r.nextInt(10) == 0 ? 3 : 0));
            }
        }
        for (int k = 0; k < ticketsPerDay; k++) {
            long at = instant(day, 7 * 3600 + r.nextInt(15 * 3600));
            int p = r.nextInt(100);
            if (p < 30) {
                complaint(code, day, r, at, String.valueOf(k), null, 1);
            } else if (p < 70) {
                repair(code, day, r, at, k);
            } else {
                request(code, day, r, at, k);
            }
        }
    }

    /** Patrols: each building about 95% of days, the environment inspection about 92%. */
    private void patrols(String code, LocalDate day, SplittableRandom r) {
        String d = day.toString();
        for (int b = 1; b <= buildings; b++) {
            if (r.nextInt(100) < 95) {
                long at = instant(day, 8 * 3600 + r.nextInt(10 * 3600));
                emit(at, code, "patrol.completed", "\"patrol\":\"P" + d + "-" + b + "\",\"kind\":\"building\","
                        + "\"building\":\"B" + b + "\",\"by\":\"m" + b + "\",\"startedAt\":\"" + iso(at - 1800_000) + "\"");
                if (r.nextInt(100) < 8) {
                    String issue = "I" + d + "-" + b;
                    boolean emergency = r.nextInt(100) < 15;
                    emit(at + 60_000, code, "patrol.issue_found", "\"issue\":\"" + issue + "\",\"patrol\":\"P" + d + "-" + b
                            + "\",\"building\":\"B" + b + "\",\"severity\":\"" + (emergency ? "emergency" : "normal")
                            + "\",\"summary\":\"楼道灯不亮\"");
                    if (emergency) {
                        String t = code + "-I" + d + "-" + b;
                        long rec = at + 120_000;
                        emit(rec, code, "ticket.received", "\"ticket\":\"" + t + "\",\"kind\":\"repair\",\"channel\":\"patrol\","
                                + "\"building\":\"B" + b + "\",\"urgency\":\"emergency\",\"receivedBy\":\"m" + b
                                + "\",\"issue\":\"" + issue + "\",\"summary\":\"巡查发现紧急情况\"");
                        emit(rec + minutes(r, 1, 8), code, "ticket.dispatched", "\"ticket\":\"" + t + "\",\"to\":\"engineering\"");
                    }
                    long fixed = at + hours(r, 2, 30);
                    emit(fixed, code, "patrol.issue_resolved", "\"issue\":\"" + issue + "\",\"by\":\"e1\"");
                    if (r.nextInt(100) < 90) {
                        emit(fixed + hours(r, 1, 40), code, "patrol.issue_verified", "\"issue\":\"" + issue + "\",\"by\":\"m" + b + "\"");
                    }
                }
            }
        }
        if (r.nextInt(100) < 92) {
            emit(instant(day, 9 * 3600 + r.nextInt(6 * 3600)), code, "patrol.completed", "\"patrol\":\"E" + d
                    + "\",\"kind\":\"environment\",\"by\":\"env1\"");
        }
        if (r.nextInt(100) < 90) {
            emit(instant(day.plusDays(1), 9 * 3600 + r.nextInt(14 * 3600)), code, "patrol.reviewed",
                    "\"date\":\"" + d + "\",\"by\":\"s1\"");
        }
    }

    private void complaint(String code, LocalDate day, SplittableRandom r, long at, String k, String incident, int persons) {
        String t = code + "-" + day + "-Q" + k;
        int v = r.nextInt(100);
        String validity = v < 70 ? "valid" : v < 85 ? "assist" : "invalid";
        int ch = r.nextInt(100);
        String channel = ch < 70 ? VERBAL[r.nextInt(VERBAL.length)] : ch < 82 ? "written" : ch < 90 ? "email"
                : ch < 95 ? "developer" : "patrol";
        String household = (1 + r.nextInt(buildings)) + "-" + (1 + r.nextInt(3)) + "-" + (101 + r.nextInt(30));
        String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
        StringBuilder f = new StringBuilder("\"ticket\":\"" + t + "\",\"kind\":\"complaint\",\"channel\":\"" + channel
                + "\",\"household\":\"" + household + "\",\"building\":\"B" + household.substring(0, household.indexOf('-'))
                + "\",\"category\":\"" + category + "\",\"validity\":\"" + validity + "\",\"receivedBy\":\"a1\",\"summary\":\"业主反映问题\"");
        if (incident != null) {
            f.append(",\"incident\":\"").append(incident).append("\",\"persons\":").append(persons);
        }
        if (channel.equals("patrol") && r.nextInt(3) == 0) {
            f.append(",\"observedAt\":\"").append(iso(at - hours(r, 1, 30))).append("\"");
        }
        emit(at, code, "ticket.received", f.toString());
        if (r.nextInt(200) == 0) {
            emit(at + hours(r, 1, 48), code, "ticket.flagged", "\"ticket\":\"" + t + "\",\"flag\":\"media\"");
        }
        long now = at;
        if (!validity.equals("invalid")) {
            now = at + lateMinutes(r, 120, 12);
            String replyBy = r.nextInt(4) == 0 ? ",\"replyBy\":\"" + iso(now + hours(r, 4, 30)) + "\"" : "";
            emit(now, code, "ticket.contacted", "\"ticket\":\"" + t + "\",\"by\":\"s1\"" + replyBy);
        }
        if (validity.equals("assist")) {
            emit(now + hours(r, 20, 80), code, "ticket.progress", "\"ticket\":\"" + t + "\",\"by\":\"s1\",\"note\":\"已转开发商\"");
        }
        if (r.nextInt(100) < 3) {
            if (everyTicketCloses) {
                long late = now + hours(r, 35 * 24, 50 * 24);
                emit(late, code, "ticket.resolved", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
                emit(late + minutes(r, 10, 120), code, "ticket.replied", "\"ticket\":\"" + t + "\",\"by\":\"s1\",\"method\":\"phone\"");
                emit(late + hours(r, 24, 72), code, "ticket.closed", "\"ticket\":\"" + t + "\",\"by\":\"s1\"");
            }
            return; // never resolved: becomes major after 30 days
        }
        long resolved = now + (validity.equals("invalid") ? minutes(r, 5, 60) : hours(r, 1, 40));
        boolean onSpot = r.nextInt(100) < 10;
        emit(resolved, code, "ticket.resolved", "\"ticket\":\"" + t + "\",\"by\":\"e1\",\"onSpot\":" + onSpot);
        boolean written = channel.equals("written") || channel.equals("email");
        long replied = resolved + (written ? hours(r, 2, 60) : lateMinutes(r, 100, 10));
        emit(replied, code, "ticket.replied", "\"ticket\":\"" + t + "\",\"by\":\"s1\",\"method\":\""
                + (written ? (r.nextInt(10) == 0 ? "phone" : "written") : incident != null ? "visit" : "phone") + "\"");
        if (channel.equals("developer")) {
            emit(resolved + hours(r, 1, 14), code, "ticket.reported", "\"ticket\":\"" + t + "\",\"to\":\"developer_cs\"");
        }
        if (r.nextInt(100) < 94) {
            long follow = replied + lateMinutes(r, 20 * 60, 8);
            boolean satisfied = r.nextInt(100) < 88;
            emit(follow, code, "ticket.followed_up", "\"ticket\":\"" + t + "\",\"by\":\"s2\",\"method\":\"phone\",\"satisfied\":"
                    + satisfied + ",\"score\":" + (satisfied ? 4 + r.nextInt(2) : 1 + r.nextInt(2)));
            if (!satisfied) {
                long reopen = follow + hours(r, 1, 30);
                emit(reopen, code, "ticket.reopened", "\"ticket\":\"" + t + "\",\"reason\":\"业主不满意\"");
                long contact2 = reopen + lateMinutes(r, 120, 15);
                emit(contact2, code, "ticket.contacted", "\"ticket\":\"" + t + "\",\"by\":\"s1\"");
                long resolved2 = contact2 + hours(r, 2, 30);
                emit(resolved2, code, "ticket.resolved", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
                emit(resolved2 + minutes(r, 10, 300), code, "ticket.replied", "\"ticket\":\"" + t + "\",\"by\":\"s1\",\"method\":\"visit\"");
                emit(resolved2 + hours(r, 2, 26), code, "ticket.followed_up", "\"ticket\":\"" + t + "\",\"by\":\"s2\",\"method\":\"visit\",\"satisfied\":true,\"score\":4");
                replied = resolved2 + hours(r, 26, 30);
            }
        }
        emit(replied + hours(r, 24, 72), code, "ticket.closed", "\"ticket\":\"" + t + "\",\"by\":\"s1\"");
    }

    private void repair(String code, LocalDate day, SplittableRandom r, long at, int k) {
        String t = code + "-" + day + "-R" + k;
        int u = r.nextInt(100);
        String urgency = u < 10 ? "emergency" : u < 25 ? "special" : "normal";
        String household = (1 + r.nextInt(buildings)) + "-" + (1 + r.nextInt(3)) + "-" + (101 + r.nextInt(30));
        emit(at, code, "ticket.received", "\"ticket\":\"" + t + "\",\"kind\":\"repair\",\"channel\":\""
                + VERBAL[r.nextInt(VERBAL.length)] + "\",\"household\":\"" + household + "\",\"urgency\":\"" + urgency
                // one repair in seven is in common areas (a lobby light): no call back (BJ 四.4 入户维修)
                + "\",\"location\":\"" + (k % 7 == 3 ? "public" : "home")
                + "\",\"receivedBy\":\"a1\",\"summary\":\"报修\"");
        long dispatched = at + (urgency.equals("emergency") ? lateMinutes(r, 5, 10) : minutes(r, 2, 30));
        emit(dispatched, code, "ticket.dispatched", "\"ticket\":\"" + t + "\",\"to\":\"engineering\"");
        int limit = urgency.equals("emergency") ? 10 : urgency.equals("special") ? 15 : 40;
        long arrived = dispatched + lateMinutes(r, limit, 12);
        emit(arrived, code, "ticket.arrived", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
        long resolved = arrived + (r.nextInt(100) < 8 ? hours(r, 50, 120) : minutes(r, 20, 600));
        emit(resolved, code, "ticket.resolved", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
        if (r.nextInt(100) < 93) {
            long follow = resolved + lateMinutes(r, 20 * 60, 8);
            emit(follow, code, "ticket.followed_up", "\"ticket\":\"" + t + "\",\"by\":\"s2\",\"method\":\"phone\",\"satisfied\":"
                    + (r.nextInt(100) < 90) + "");
        }
        if (r.nextInt(100) < 4) {
            long reopened = resolved + hours(r, 30, 400);
            emit(reopened, code, "ticket.reopened", "\"ticket\":\"" + t + "\",\"reason\":\"返修\"");
            if (everyTicketCloses) {
                long again = reopened + minutes(r, 2, 30);
                emit(again, code, "ticket.dispatched", "\"ticket\":\"" + t + "\",\"to\":\"engineering\"");
                long arrivedAgain = again + minutes(r, 10, 40);
                emit(arrivedAgain, code, "ticket.arrived", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
                long redone = arrivedAgain + minutes(r, 20, 600);
                emit(redone, code, "ticket.resolved", "\"ticket\":\"" + t + "\",\"by\":\"e1\"");
                emit(redone + hours(r, 30, 90), code, "ticket.closed", "\"ticket\":\"" + t + "\",\"by\":\"s1\"");
            }
            return;
        }
        emit(resolved + hours(r, 30, 90), code, "ticket.closed", "\"ticket\":\"" + t + "\",\"by\":\"s1\"");
    }

    private void request(String code, LocalDate day, SplittableRandom r, long at, int k) {
        String t = code + "-" + day + "-H" + k;
        emit(at, code, "ticket.received", "\"ticket\":\"" + t + "\",\"kind\":\"" + (r.nextBoolean() ? "inquiry" : "help")
                + "\",\"channel\":\"" + VERBAL[r.nextInt(VERBAL.length)] + "\",\"receivedBy\":\"a1\",\"summary\":\"咨询\"");
        long replied = at + (r.nextInt(100) < 92 ? minutes(r, 1, 180) : hours(r, 14, 40));
        emit(replied, code, "ticket.replied", "\"ticket\":\"" + t + "\",\"by\":\"a1\",\"method\":\"phone\"");
        emit(replied + hours(r, 1, 30), code, "ticket.closed", "\"ticket\":\"" + t + "\",\"by\":\"a1\"");
    }

    // ---- time helpers: epoch millis ------------------------------------------------------------

    private static long instant(LocalDate day, int secondOfDay) {
        return day.atStartOfDay(ZONE).toInstant().toEpochMilli() + secondOfDay * 1000L;
    }

    private static long minutes(SplittableRandom r, int from, int to) {
        return (from + r.nextInt(Math.max(1, to - from))) * 60_000L;
    }

    private static long hours(SplittableRandom r, int from, int to) {
        return (from * 60L + r.nextInt(Math.max(1, (to - from) * 60))) * 60_000L;
    }

    /** Mostly well inside {@code limit} minutes; {@code latePercent}% of the time past it. */
    private static long lateMinutes(SplittableRandom r, int limit, int latePercent) {
        if (r.nextInt(100) < latePercent) {
            return (limit + 1 + r.nextInt(limit)) * 60_000L;
        }
        return (1 + r.nextInt(Math.max(1, limit * 3 / 4))) * 60_000L;
    }

    private static String iso(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis).atZone(ZONE));
    }

    private void emit(long at, String community, String type, String fields) {
        long n = ++seq;
        queue.add(new Pending(at, n, "{\"id\":\"" + community + "-" + n + "\",\"type\":\"" + type + "\",\"at\":\""
                + iso(at) + "\",\"community\":\"" + community + "\"," + fields + "}"));
    }

    private void flushBefore(long limit, Writer out) throws IOException {
        while (!queue.isEmpty() && queue.peek().at < limit) {
            out.write(queue.poll().json);
            out.write('\n');
            written++;
        }
    }

}
