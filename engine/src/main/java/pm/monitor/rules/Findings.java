package pm.monitor.rules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kie.api.runtime.rule.RuleContext;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Finding;

/**
 * The rules' global {@code findings}: emits a finding of the calling rule now (in event
 * time), for a duty broken by an event itself or something a manager must know at once. The
 * rule's {@code @id}, {@code @clause} and {@code @notify} go into the finding.
 */
public final class Findings {
    private final CommunityContext context;

    public Findings(CommunityContext context) {
        this.context = context;
    }

    public Finding violation(RuleContext drools, Ticket ticket, Map<String, Object> details) {
        return context.emit(drools.getRule(), Finding.VIOLATION, ticket.getId(), context.now(), null,
                withTicket(ticket, details));
    }

    public Finding violation(RuleContext drools, String subject, Map<String, Object> details) {
        return context.emit(drools.getRule(), Finding.VIOLATION, subject, context.now(), null, copy(details));
    }

    public Finding alert(RuleContext drools, Ticket ticket, Map<String, Object> details) {
        return context.emit(drools.getRule(), Finding.ALERT, ticket.getId(), context.now(), null,
                withTicket(ticket, details));
    }

    public Finding alert(RuleContext drools, String subject, Map<String, Object> details) {
        return context.emit(drools.getRule(), Finding.ALERT, subject, context.now(), null, copy(details));
    }

    /**
     * The finding of an open ticket that leaves memory untouched (issue 17.16): not a handbook
     * rule — the catalog (rules/HANDBOOK-RULES.md, a copy of the shared one) has no place for
     * how the monitor keeps its memory — so the runtime emits it, as it emits a duty's warning.
     * The supervisor is told because the handbook wants open items dealt with (VK 未关闭信息的处理).
     */
    public static final String DORMANT = "ticket.dormant";

    public Finding dormant(Ticket ticket, Instant lastEventAt, java.time.Duration after, String lastEvent) {
        long days = after.toDays();
        return context.emit(DORMANT, "VK 未关闭信息的处理", "supervisor", Finding.WARNING, ticket.getId(), context.now(),
                null, withTicket(ticket, details("lastEventAt", lastEvent, "untouchedDays", days,
                        "note", "未关闭且 " + days + " 天无任何事件，已归档出内存；再有事件时自动取回 · open with no event for "
                                + days + " days: archived out of memory, brought back when an event for it comes")));
    }

    /** Details for a finding: {@code details("rings", 5, "limit", 3)}. */
    public static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return m;
    }

    /** The ids of tickets, in order: {@code ids($earlier)}. */
    public static java.util.List<String> ids(java.util.Collection<?> tickets) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Object o : tickets) {
            out.add(o instanceof Ticket t ? t.getId() : String.valueOf(o));
        }
        return out;
    }

    private static Map<String, Object> withTicket(Ticket t, Map<String, Object> details) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ticket", t.getId());
        m.put("cycle", t.getCycle());
        if (details != null) {
            m.putAll(details);
        }
        return m;
    }

    private static Map<String, Object> copy(Map<String, Object> details) {
        return details == null ? new LinkedHashMap<>() : new LinkedHashMap<>(details);
    }
}
