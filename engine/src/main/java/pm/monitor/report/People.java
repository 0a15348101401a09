package pm.monitor.report;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import pm.monitor.calendar.Times;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.fact.Duty;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Finding;

/**
 * Who answered for what, in one community and period (the People page; SYS 奖惩细则 holds people
 * to account for exactly these breaches): per staff id the tickets they took (receivedBy, VK
 * 首问责任) and the time limits they owned (the rule's {@code @owner}), met and breached by rule;
 * the same per role; and the community's total, which the rows add up to.
 *
 * <p>A time limit counts in the period of its deadline (a deadline of 24:00 in the day that
 * ends, as the KPIs count); waived ones are left out. "Met" is met in time; a limit met after its
 * deadline is breached. Timeliness is met / (met + breached); limits still open are shown apart.
 * Alerts (escalations) are not time limits someone missed and are not counted.
 */
public final class People {
    /** One time limit as the page shows it, read on the engine's thread. */
    public record Limit(String rule, String subject, String ticket, String ownerRole, String owner, Instant dueAt,
                        String state, Instant settledAt) {
    }

    /** One ticket taken: by whom, when. */
    public record Taken(String ticket, String by, Instant at) {
    }

    private final String community;
    private final String name;
    private final ZoneId zone;
    private final List<Limit> limits;
    private final List<Taken> taken;

    private People(String community, String name, ZoneId zone, List<Limit> limits, List<Taken> taken) {
        this.community = community;
        this.name = name;
        this.zone = zone;
        this.limits = limits;
        this.taken = taken;
    }

    /**
     * Reads the time limits due in (from, to] and the tickets received in [from, to) from the
     * engine: call on its thread. Tickets archived (closed long ago) are no longer in memory.
     */
    public static People collect(CommunityEngine e, String name, Instant from, Instant to) {
        List<Limit> limits = new ArrayList<>();
        List<Taken> taken = new ArrayList<>();
        for (Ticket t : e.tracker().tickets()) {
            if (!t.getReceivedAt().isBefore(from) && t.getReceivedAt().isBefore(to)) {
                taken.add(new Taken(t.getId(), t.getReceivedBy(), t.getReceivedAt()));
            }
            for (Duty d : t.getDuties()) {
                add(limits, d, from, to);
            }
        }
        for (Duty d : e.duties().others()) {
            add(limits, d, from, to);
        }
        return new People(e.code(), name, e.zone(), limits, taken);
    }

    private static void add(List<Limit> out, Duty d, Instant from, Instant to) {
        if (!Finding.VIOLATION.equals(d.getKind()) || d.getState() == Duty.State.WAIVED
                || !d.getDueAt().isAfter(from) || d.getDueAt().isAfter(to)) {
            return;
        }
        String state = switch (d.getState()) {
            case MET -> "met";
            case BREACHED -> "breached";
            default -> "open";
        };
        out.add(new Limit(d.getRule(), d.getSubject(), d.getTicket() == null ? null : d.getTicket().getId(),
                d.getOwnerRole(), d.getOwner(), d.getDueAt(), state, d.getSettledAt()));
    }

    /** Counts of one row: tickets taken, limits owned, met, breached, open, breaches per rule. */
    private static final class Row {
        long tickets;
        long owned;
        long met;
        long breached;
        long open;
        final TreeSet<String> roles = new TreeSet<>();
        final Map<String, Long> byRule = new TreeMap<>();

        void count(Limit l) {
            owned++;
            if (l.ownerRole() != null) {
                roles.add(l.ownerRole());
            }
            switch (l.state()) {
                case "met" -> met++;
                case "breached" -> {
                    breached++;
                    byRule.merge(l.rule(), 1L, Long::sum);
                }
                default -> open++;
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("roles", new ArrayList<>(roles));
            m.put("tickets", tickets);
            m.put("owned", owned);
            m.put("met", met);
            m.put("breached", breached);
            m.put("open", open);
            m.put("timeliness", met + breached == 0 ? null : (double) met / (met + breached));
            m.put("breaches", byRule);
            return m;
        }
    }

    /** The page: per person (most breaches first), per role, the limits naming no person, the total. */
    public Map<String, Object> table() {
        Map<String, Row> persons = new TreeMap<>(NaturalOrder.INSTANCE);
        Map<String, Row> roles = new TreeMap<>();
        Row unnamed = new Row();
        Row total = new Row();
        for (Taken t : taken) {
            total.tickets++;
            if (t.by() != null) {
                persons.computeIfAbsent(t.by(), k -> new Row()).tickets++;
            }
        }
        for (Limit l : limits) {
            total.count(l);
            roles.computeIfAbsent(l.ownerRole() == null ? "" : l.ownerRole(), k -> new Row()).count(l);
            if (l.owner() != null) {
                persons.computeIfAbsent(l.owner(), k -> new Row()).count(l);
            } else {
                unnamed.count(l);
            }
        }
        List<Map<String, Object>> people = new ArrayList<>();
        persons.forEach((staff, row) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("staff", staff);
            m.putAll(row.toMap());
            people.add(m);
        });
        people.sort(Comparator.comparing((Map<String, Object> m) -> -(long) m.get("breached")));
        List<Map<String, Object>> byRole = new ArrayList<>();
        roles.forEach((role, row) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", role.isEmpty() ? null : role);
            m.putAll(row.toMap());
            m.remove("roles");
            m.remove("tickets");
            byRole.add(m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("community", community);
        out.put("name", name);
        out.put("zone", zone.getId());
        out.put("empty", taken.isEmpty() && limits.isEmpty());
        out.put("people", people);
        out.put("roles", byRole);
        Map<String, Object> u = unnamed.toMap();
        u.remove("tickets");
        out.put("unnamed", u);
        Map<String, Object> tot = total.toMap();
        tot.put("label", name != null ? name : community); // the community's own total, never 全公司
        out.put("total", tot);
        return out;
    }

    /** One person's time limits in the period (breached first, then by deadline) and the tickets they took. */
    public Map<String, Object> person(String staff) {
        List<Limit> mine = new ArrayList<>();
        for (Limit l : limits) {
            if (staff.equals(l.owner())) {
                mine.add(l);
            }
        }
        mine.sort(Comparator.comparing((Limit l) -> !l.state().equals("breached")).thenComparing(Limit::dueAt)
                .thenComparing(Limit::rule));
        List<Map<String, Object>> items = new ArrayList<>();
        Row row = new Row();
        for (Limit l : mine) {
            row.count(l);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", l.rule());
            m.put("subject", l.subject());
            m.put("ticket", l.ticket());
            m.put("ownerRole", l.ownerRole());
            m.put("dueAt", Times.iso(l.dueAt(), zone));
            m.put("state", l.state());
            m.put("settledAt", Times.iso(l.settledAt(), zone));
            items.add(m);
        }
        List<String> tickets = new ArrayList<>();
        for (Taken t : taken) {
            if (staff.equals(t.by())) {
                row.tickets++;
                tickets.add(t.ticket());
            }
        }
        tickets.sort(NaturalOrder.INSTANCE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("community", community);
        out.put("name", name);
        out.put("zone", zone.getId());
        out.put("staff", staff);
        out.putAll(row.toMap());
        out.put("limits", items);
        out.put("ticketsTaken", tickets);
        return out;
    }
}
