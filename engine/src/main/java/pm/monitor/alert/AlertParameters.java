package pm.monitor.alert;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert parameters in force: the defaults below, overridden by the rows of the
 * {@code alert_settings} table (edited with {@code PUT /api/alerts/settings}, read on every
 * clock tick, so no restart). Values marked "ours" are not from the handbooks.
 */
public final class AlertParameters {

    /** Every key with its default; keys ending in a role are listed once per role. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        // Findings of one community, rule and kind within this much event time go out as one message.
        d.put("group.window", "5min");
        // Emergencies wait for no window: CODE 4.5.1 says a collective complaint is reported at once (立即).
        d.put("emergency.window", "0s");
        // Rules marked @emergency(true) in their DRL are emergencies (complaint.collective, complaint.major,
        // ticket.emergency-dispatch, patrol.emergency); this setting adds more rule ids.
        d.put("emergency.rules", "");
        // What goes out at all, and what climbs the chain when nobody acknowledges it. Issue 5
        // escalates alerts (what a manager must know now); a violation is a fact already missed,
        // and escalating those too gave 462 escalations in a generated week of two communities
        // with nobody acknowledging (AlertVolume), so they may be added here, not by default.
        d.put("route.kinds", "alert, violation, warning");
        d.put("escalate.kinds", "alert");
        // A finding about what a standing alert is about (same community, rule, role, subject)
        // joins it for this long after it opened, instead of being sent again (Alertmanager's
        // repeat_interval, its default; ours). A KPI alert stands for its whole period.
        d.put("repeat.interval", "4h");
        // A KPI alert is resolved when its KPI has stayed back at target this long (event time; the
        // Prometheus keep_firing_for against flapping): a KPI near its target that dips again within
        // it stays one alert, updated in place, instead of a resolved notice and a new firing each
        // time (ours: a day; AlertVolume's figures for 0, 4 h and a day are in the commit).
        d.put("resolve.hold", "24h");
        d.put("ack.timeout", "30min");
        for (String role : Roles.ALL) {
            d.put("ack.timeout." + role, "");
        }
        // The chain of issue 5, with the roles below supervisor and engineering joined to it (ours).
        d.put("escalation.next.assistant", "supervisor");
        d.put("escalation.next.building_manager", "supervisor");
        d.put("escalation.next.supervisor", "centre_manager");
        d.put("escalation.next.centre_manager", "project_manager");
        d.put("escalation.next.project_manager", "general_manager");
        d.put("escalation.next.general_manager", "none");
        d.put("escalation.next.quality", "none");
        d.put("escalation.next.developer_cs", "none");
        d.put("escalation.next.engineering", "project_manager");
        // The service centre is staffed around the clock (CODE 4.2.2); the managers above it and
        // the departments are not (ours).
        for (String role : Roles.ALL) {
            boolean staffed = role.equals("assistant") || role.equals("building_manager") || role.equals("supervisor")
                    || role.equals("engineering");
            d.put("quiet." + role, staffed ? "none" : "22:00-07:00");
        }
        // Roles that hear of what climbs to them once a day, at this local time, instead of once per
        // escalation (issue 19.3: 215 of the GM group's first 261 messages were escalations; ours).
        // Emergencies never wait. "none": every escalation is a message.
        for (String role : Roles.ALL) {
            d.put("digest." + role, role.equals("general_manager") ? "08:00" : "none");
        }
        // Per-ticket findings of an incident that one of these made collective or major are folded under it.
        // Rules marked @inhibits(true) in their DRL are sources (complaint.collective, complaint.major);
        // this setting adds more rule ids.
        d.put("inhibit.sources", "");
        d.put("retry.initial", "2s");
        d.put("retry.max", "5min");
        d.put("retry.give-up", "24h");
        d.put("http.timeout", "10s");
        d.put("smtp.host", "");
        d.put("smtp.port", "25");
        d.put("smtp.from", "monitor@localhost");
        d.put("smtp.starttls", "optional");
        d.put("smtp.username", "");
        // The scheduled reports (issue 23): the roles whose e-mail addresses in the roster (community
        // "*") get the monthly and the weekly report as XLSX when the period ends; empty: none.
        d.put("report.monthly.roles", "quality, centre_manager");
        d.put("report.weekly.roles", "quality");
        // The roles a manager token created without --duties answers for (its inbox, what it may
        // acknowledge): a community's service line; the quality department, the developer's centre
        // and the GM acknowledge with tokens that name them (issue 19.5, ours).
        d.put("manager.roles", "assistant, building_manager, supervisor, centre_manager, project_manager, engineering");
        // Links in messages point here (the dashboard's address as managers reach it); empty: serve's
        // --public-url, checked at start-up (issue 19.2: a localhost link opens nothing on a phone).
        d.put("public.url", "");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|h|d)");

    private final Map<String, String> values;

    private AlertParameters(Map<String, String> values) {
        this.values = values;
    }

    public static AlertParameters defaults() {
        return new AlertParameters(DEFAULTS);
    }

    /** The defaults with {@code overrides} applied; an override that does not parse is an error. */
    public static AlertParameters of(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            validate(e.getKey(), e.getValue());
            m.put(e.getKey(), e.getValue().trim());
        }
        return new AlertParameters(m);
    }

    /** Checks one setting; throws with a message fit for the person who sent it. */
    public static void validate(String key, String value) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown alert setting \"" + key + "\"; known: " + DEFAULTS.keySet());
        }
        if (value == null) {
            throw new IllegalArgumentException(key + ": a value is required");
        }
        String v = value.trim();
        if (key.endsWith("window") || key.startsWith("retry.") || key.equals("http.timeout") || key.equals("repeat.interval")
                || key.equals("resolve.hold") || (key.startsWith("ack.timeout") && !v.isEmpty())) {
            duration(key, v);
        } else if (key.startsWith("digest.") && !v.equals("none")) {
            if (!v.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
                throw new IllegalArgumentException(key + " is a local time such as 08:00, or none, not \"" + v + "\"");
            }
        } else if (key.startsWith("quiet.") && !v.equals("none")) {
            QuietHours.parse(v);
        } else if (key.startsWith("escalation.next.") && !v.equals("none") && !Roles.known(v)) {
            throw new IllegalArgumentException(key + ": \"" + v + "\" is not a role; roles: " + Roles.ALL + " or none");
        } else if (key.equals("public.url") && !v.isEmpty() && !v.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new IllegalArgumentException("public.url must be an http(s) address such as https://monitor.example.com, not \""
                    + v + "\"");
        } else if (key.equals("manager.roles")) {
            for (String r : list(v)) {
                if (!Roles.known(r)) {
                    throw new IllegalArgumentException(key + ": \"" + r + "\" is not a role; roles: " + Roles.ALL);
                }
            }
        } else if (key.endsWith(".kinds")) {
            for (String k : list(v)) {
                if (!Set.of("alert", "violation", "warning").contains(k)) {
                    throw new IllegalArgumentException(key + ": \"" + k + "\" is not a kind (alert, violation, warning)");
                }
            }
        } else if (key.startsWith("report.") && key.endsWith(".roles")) {
            for (String r : list(v)) {
                if (!Roles.known(r)) {
                    throw new IllegalArgumentException(key + ": \"" + r + "\" is not a role; roles: " + Roles.ALL);
                }
            }
        } else if (key.equals("smtp.port")) {
            try {
                Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("smtp.port must be a number, not \"" + v + "\"");
            }
        } else if (key.equals("smtp.starttls") && !Set.of("disabled", "optional", "required").contains(v)) {
            throw new IllegalArgumentException("smtp.starttls is disabled, optional or required, not \"" + v + "\"");
        }
    }

    public Map<String, String> values() {
        return values;
    }

    public String get(String key) {
        return values.get(key);
    }

    public Duration window(boolean emergency) {
        return duration(emergency ? "emergency.window" : "group.window");
    }

    public Duration ackTimeout(String role) {
        String own = values.getOrDefault("ack.timeout." + role, "");
        return own.isEmpty() ? duration("ack.timeout") : duration("ack.timeout." + role, own);
    }

    /** The next role up from {@code role}, or null at the top of its chain. */
    public String next(String role) {
        String v = values.getOrDefault("escalation.next." + role, "none");
        return v.equals("none") ? null : v;
    }

    /** When the role's daily digest goes out (local time), or null when it hears of each escalation at once. */
    public java.time.LocalTime digest(String role) {
        String v = values.getOrDefault("digest." + role, "none");
        return v.equals("none") ? null : java.time.LocalTime.parse(v);
    }

    /** The role's quiet hours, or null when it has none. */
    public QuietHours quiet(String role) {
        String v = values.getOrDefault("quiet." + role, "none");
        return v.equals("none") ? null : QuietHours.parse(v);
    }

    public Set<String> routeKinds() {
        return list(values.get("route.kinds"));
    }

    public Set<String> escalateKinds() {
        return list(values.get("escalate.kinds"));
    }

    /** The rules marked {@code @emergency(true)} in the live DRL, and those the setting adds. */
    public Set<String> emergencyRules() {
        Set<String> ids = new LinkedHashSet<>(pm.monitor.rules.LiveRuleMetadata.emergencies());
        ids.addAll(list(values.get("emergency.rules")));
        return ids;
    }

    /** The roles that get the scheduled report of a kind ({@code monthly}, {@code weekly}). */
    public Set<String> reportRoles(String kind) {
        return list(values.getOrDefault("report." + kind + ".roles", ""));
    }

    /** The rules marked {@code @inhibits(true)} in the live DRL, and those the setting adds. */
    public Set<String> inhibitSources() {
        Set<String> ids = new LinkedHashSet<>(pm.monitor.rules.LiveRuleMetadata.inhibitors());
        ids.addAll(list(values.get("inhibit.sources")));
        return ids;
    }

    public Duration duration(String key) {
        return duration(key, values.get(key));
    }

    private static Duration duration(String key, String v) {
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " is a duration such as 90s, 5min, 2h or 1d, not \"" + v + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static Set<String> list(String v) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }
}
