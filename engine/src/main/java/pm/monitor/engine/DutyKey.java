package pm.monitor.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import pm.monitor.fact.Duty;
import pm.monitor.finding.Finding;

/**
 * A duty as its findings name it, whatever its deadline: the rule that opened it, its subject
 * and cycle, and when its clock started. A rules change may move a duty's deadline (and with it
 * its findings' ids, which include the deadline) but not this: it is how a reload knows that a
 * finding of the new rules is about a duty an earlier version already reported.
 */
record DutyKey(String rule, String subject, int cycle, Instant startsAt) {

    static DutyKey of(Duty d) {
        return new DutyKey(d.getRule(), d.getSubject(), d.getCycle(), d.getDeadline().startsAt());
    }

    /** The duty of a finding judged at a deadline (its details carry the deadline), or null. */
    static DutyKey of(Finding f) {
        return f.dueAt() == null ? null : of(f.rule(), f.subject(), f.details());
    }

    /** The same from a stored finding's fields ({@code details} as parsed from its JSON), or null. */
    static DutyKey of(String rule, String subject, Map<?, ?> details) {
        if (details == null || !(details.get("deadline") instanceof Map<?, ?> deadline)
                || !(deadline.get("clockStartedAt") instanceof String started)) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(started).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        int cycle = details.get("cycle") instanceof Number n ? n.intValue() : 0;
        return new DutyKey(rule, subject, cycle, at);
    }
}
