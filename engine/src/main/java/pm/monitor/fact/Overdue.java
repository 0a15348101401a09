package pm.monitor.fact;

import java.time.Instant;

/**
 * A duty opened with {@code @kind("check")} whose deadline passed while it was still open. No
 * finding is emitted for it by the runtime; the rules that match this fact decide what it
 * means (e.g. a complaint still open 30 days after receipt is major).
 */
public record Overdue(Duty duty, Ticket ticket, String rule, String subject, Instant at) {
}
