package pm.monitor.calendar;

import java.time.Instant;

/**
 * A computed deadline: when the clock started, when it runs out, and how it was computed, so
 * that {@link Deadlines#explain} can say why it stands. The explanation is made when a finding
 * needs it, not kept with every open duty: a million open tickets should not carry a million
 * paragraphs.
 *
 * @param startsAt  when the clock started (warnings are measured from here)
 * @param dueAt     the deadline; an event stamped exactly at it meets it
 * @param startedBy what started the clock, in words ("received", "resolved", …)
 * @param how       how the limit is counted
 * @param amount    minutes for {@link How#HOURS}, working days for {@link How#WORKING_DAYS}, else 0
 */
public record Deadline(Instant startsAt, Instant dueAt, String startedBy, How how, long amount) {

    public enum How { HOURS, SAME_DAY, END_OF_DAY, WORKING_DAYS, AGREED, NEXT_DAY_END }

    /** The same deadline with its clock (for the warning) starting at {@code clockStart}. */
    public Deadline clockFrom(Instant clockStart) {
        return new Deadline(clockStart, dueAt, startedBy, how, amount);
    }
}
