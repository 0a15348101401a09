package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Rules;
import pm.monitor.support.Scenario;

/**
 * For a random complaint or repair received at a random time and answered after a random
 * delay, the deadline rule finds a violation exactly when the delay is over the limit of
 * rules/parameters.conf (an answer stamped at the deadline meets it). Delays are drawn around
 * the limit, so both sides and the boundary itself are tried.
 */
class DeadlinePropertiesTest {
    /** 2026-01-05 to 2026-11-30, Shanghai: inside the year the cn calendar covers, a day to spare. */
    private static final long FROM = 1767542400L;
    private static final long TO = 1796054400L;
    private static final ZoneOffset BJ = ZoneOffset.ofHours(8);
    private static final String[] CATEGORIES = {"housing", "equipment", "security", "environment", "service",
            "dispute", "developer", "other"};
    private static final String[] URGENCIES = {"emergency", "special", "normal"};

    private static String time(Instant i) {
        return OffsetDateTime.ofInstant(i, BJ).toString();
    }

    private static Duration limit(String key) {
        return Rules.real().parameters().forCommunity(Scenario.COMMUNITY).limit(key).duration();
    }

    @Test
    void complaintContactViolatedIffLate() {
        Random random = new Random(20260105L);
        for (int i = 0; i < 200; i++) {
            long receivedAt = random.nextLong(FROM, TO + 1);
            int category = random.nextInt(0, 7 + 1);
            int offsetSeconds = random.nextInt(-3600, 3600 + 1);
            int neverContacted = random.nextInt(0, 9 + 1);
            String input = "receivedAt=" + receivedAt + " category=" + category + " offsetSeconds=" + offsetSeconds
                    + " neverContacted=" + neverContacted;
            complaintContactViolatedIffLate(receivedAt, category, offsetSeconds, neverContacted, input);
        }
    }

    private void complaintContactViolatedIffLate(long receivedAt, int category, int offsetSeconds, int neverContacted,
                                                 String input) {
        Duration limit = limit("complaint.contact-2h.limit");
        Instant received = Instant.ofEpochSecond(receivedAt);
        // edge cases of the offset include 0: the contact exactly at the deadline
        Duration delay = limit.plusSeconds(offsetSeconds);
        Scenario s = new Scenario().given(Scenario.received("T1", time(received),
                "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\""
                        + CATEGORIES[category] + "\""));
        boolean contacted = neverContacted != 0;
        if (contacted) {
            s.given(Scenario.on("T1", "ticket.contacted", time(received.plus(delay)), "\"by\":\"s1\""));
        }
        s.clockAt(time(received.plus(Duration.ofDays(1))));
        List<Finding> v = s.findings("complaint.contact-2h", "violation");
        boolean late = !contacted || delay.compareTo(limit) > 0;
        assertEquals(late ? 1 : 0, v.size(),
                input + ": delay " + delay + " (limit " + limit + ", contacted " + contacted + "): " + v);
        if (late) {
            assertEquals(received.plus(limit), v.get(0).dueAt(), input);
        }
    }

    @Test
    void repairArrivalViolatedIffLate() {
        Random random = new Random(20260106L);
        for (int i = 0; i < 200; i++) {
            long receivedAt = random.nextLong(FROM, TO + 1);
            int urgency = random.nextInt(0, 2 + 1);
            int dispatchSeconds = random.nextInt(0, 600 + 1);
            int offsetSeconds = random.nextInt(-1800, 1800 + 1);
            String input = "receivedAt=" + receivedAt + " urgency=" + urgency + " dispatchSeconds=" + dispatchSeconds
                    + " offsetSeconds=" + offsetSeconds;
            repairArrivalViolatedIffLate(receivedAt, urgency, dispatchSeconds, offsetSeconds, input);
        }
    }

    private void repairArrivalViolatedIffLate(long receivedAt, int urgency, int dispatchSeconds, int offsetSeconds,
                                              String input) {
        String u = URGENCIES[urgency];
        Duration limit = limit("repair.arrival." + u);
        Instant received = Instant.ofEpochSecond(receivedAt);
        Instant dispatched = received.plusSeconds(dispatchSeconds);
        Duration delay = limit.plusSeconds(offsetSeconds);
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        Scenario s = new Scenario().given(
                Scenario.received("R1", time(received),
                        "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"urgency\":\"" + u + "\""),
                Scenario.on("R1", "ticket.dispatched", time(dispatched), "\"to\":\"engineering\""),
                Scenario.on("R1", "ticket.arrived", time(dispatched.plus(delay)), "\"by\":\"w1\""))
                .clockAt(time(received.plus(Duration.ofDays(1))));
        List<Finding> v = s.findings("repair.arrival", "violation");
        boolean late = delay.compareTo(limit) > 0;
        assertEquals(late ? 1 : 0, v.size(),
                input + ": " + u + " delay " + delay + " after dispatch (limit " + limit + "): " + v);
        if (late) {
            assertEquals(dispatched.plus(limit), v.get(0).dueAt(), input);
        }
    }

    @Test
    void warningSpanInMillisAsDuration() {
        Random r = new Random(19);
        for (int i = 0; i < 200_000; i++) {
            Instant start = Instant.ofEpochSecond(FROM + r.nextInt((int) (TO - FROM)), i % 2 == 0 ? 0 : r.nextInt(1_000_000_000));
            Instant due = start.plusSeconds(r.nextInt(3 * 86_400)).plusNanos(i % 3 == 0 ? 0 : r.nextInt(1_000_000_000) - 500_000_000);
            assertEquals(Duration.between(start, due).toMillis(), Duties.spanMillis(start, due), start + " " + due);
        }
    }
}

