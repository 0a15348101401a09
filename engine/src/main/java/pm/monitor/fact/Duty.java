package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.calendar.Deadline;

/**
 * Something a rule says must happen by a deadline: opened by the rule that starts the clock,
 * met or waived by the rules that see it done. If the deadline passes while it is still open,
 * the runtime emits the finding of the rule that opened it; a late event afterwards records
 * the lateness and retracts nothing (HANDBOOK-RULES.md "What a rule emits").
 */
public final class Duty {
    public enum State { OPEN, MET, WAIVED, BREACHED }

    private final String rule;
    private final String clause;
    private final String notify;
    private final String kind;
    private final String subject;
    private final int cycle;
    private final Ticket ticket;
    private final Deadline deadline;
    private final long seq;
    /** Who answers for it (the rule's {@code @owner}): a role, and the staff id where the rule names one. */
    private final String ownerRole;
    private final String owner;
    State state = State.OPEN;
    Instant settledAt;
    String note;

    public Duty(String rule, String clause, String notify, String kind, String subject, int cycle, Ticket ticket,
                Deadline deadline, long seq) {
        this(rule, clause, notify, kind, subject, cycle, ticket, deadline, seq, null, null);
    }

    public Duty(String rule, String clause, String notify, String kind, String subject, int cycle, Ticket ticket,
                Deadline deadline, long seq, String ownerRole, String owner) {
        this.rule = rule;
        this.clause = clause;
        this.notify = notify;
        this.kind = kind;
        this.subject = subject;
        this.cycle = cycle;
        this.ticket = ticket;
        this.deadline = deadline;
        this.seq = seq;
        this.ownerRole = ownerRole;
        this.owner = owner;
    }

    public String getRule() { return rule; }
    public String getClause() { return clause; }
    public String getNotify() { return notify; }
    /** The kind of finding a breach gives: {@code violation} or {@code alert}. */
    public String getKind() { return kind; }
    public String getSubject() { return subject; }
    public int getCycle() { return cycle; }
    public Ticket getTicket() { return ticket; }
    public Deadline getDeadline() { return deadline; }
    public Instant getDueAt() { return deadline.dueAt(); }
    public long getSeq() { return seq; }
    /** The role that answers for it, or null for a duty of a rule without {@code @owner}. */
    public String getOwnerRole() { return ownerRole; }
    /** The staff id that answers for it, or null when the rule names only a role or the event gave none. */
    public String getOwner() { return owner; }
    public State getState() { return state; }
    public Instant getSettledAt() { return settledAt; }
    /** Why it was waived, or how late it was met after its breach. */
    public String getNote() { return note; }
    public boolean isOpen() { return state == State.OPEN; }
    public boolean isBreached() { return state == State.BREACHED; }

    /** The state changes below are the runtime's; rules go through the {@code duties} global. */
    public void meet(Instant at) {
        if (state == State.OPEN) {
            state = State.MET;
            settledAt = at;
        } else if (state == State.BREACHED && settledAt == null) {
            settledAt = at;
            note = "met late"; // when: settledAt, shown in the community's zone by whoever shows it
        }
    }

    public void waive(Instant at, String why) {
        if (state == State.OPEN) {
            state = State.WAIVED;
            settledAt = at;
            note = why;
        }
    }

    public void breach() {
        state = State.BREACHED;
    }
}
