package pm.monitor.alert;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.AlertStore;
import pm.monitor.store.Database;
import pm.monitor.store.EventStore;
import pm.monitor.store.Migrations;

/**
 * How many messages a stream of events makes per role, before and after grouping and
 * inhibition: the events are replayed offline on the real rules, then their findings go
 * through the real {@link AlertService} on a pseudo clock that steps to each finding's time,
 * in a fresh schema of the given PostgreSQL (dropped afterwards). Nothing is sent; nobody
 * acknowledges, so the escalation column is the worst case.
 *
 * <pre>
 * java -cp engine/target/monitor.jar pm.monitor.alert.AlertVolume --events week.ndjson \
 *      --db 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' [--from 2026-03-02T00:00+08:00 --to ...]
 * </pre>
 * {@code --from}/{@code --to} keep the findings found in that span (the generator's tickets
 * run on past its last day); {@code --set} changes alert settings for the run; {@code --resolve no} leaves out the KPIs' recoveries (no alert is resolved, as before resolved notices).
 */
public final class AlertVolume {
    private AlertVolume() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i], argv[i + 1]);
        }
        if (!a.containsKey("--events") || !a.containsKey("--db")) {
            System.err.println("usage: AlertVolume --events FILE --db JDBC_URL [--rules DIR] [--from TIME] [--to TIME]"
                    + " [--set 'key=value;key=value'] [--resolve no]");
            System.exit(2);
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (a.containsKey("--set")) {
            for (String kv : a.get("--set").split(";")) {
                String[] p = kv.split("=", 2);
                settings.put(p[0].trim(), p[1].trim());
            }
        }
        run(Path.of(a.get("--events")), a.get("--db"), Path.of(a.getOrDefault("--rules", "rules")), settings,
                a.containsKey("--from") ? OffsetDateTime.parse(a.get("--from")).toInstant() : null,
                a.containsKey("--to") ? OffsetDateTime.parse(a.get("--to")).toInstant() : null,
                !"no".equals(a.get("--resolve")), System.out);
        System.exit(0);
    }

    static void run(Path eventsFile, String dbUrl, Path rulesDir, Map<String, String> settings, Instant from,
                    Instant to, boolean resolve, PrintStream out)
            throws Exception {
        RuleSet rules = RuleBook.load(rulesDir, Clock.systemUTC());
        // as serve does: the rules' @emergency marks and names are what the alerts read
        pm.monitor.rules.LiveRuleMetadata.use(rules);
        List<Replay.Input> inputs = new ArrayList<>();
        List<EventStore.Stored> stored = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(eventsFile, StandardCharsets.UTF_8)) {
            new EventReader().read(in, new EventReader.Sink() {
                int index;

                @Override
                public void accept(Event event, int line, String text) {
                    if (ids.add(event.id())) {
                        inputs.add(new Replay.Input(event, line, ++index));
                        stored.add(new EventStore.Stored(event, text));
                    }
                }

                @Override
                public void reject(Rejection r) {
                    index++;
                }
            });
        }
        Replay.Result replayed = new Replay(rules, 2).recordingRecoveries().run(inputs, null, null);
        List<Finding> findings = new ArrayList<>(replayed.findings());
        findings.removeIf(f -> (from != null && f.at().isBefore(from)) || (to != null && !f.at().isBefore(to)));
        findings.sort(Replay.ORDER);
        // KPIs back at target resolve the alerts of their falls (--resolve no: as before resolved notices)
        List<KpiRecovered> recoveries = new ArrayList<>();
        if (resolve) {
            replayed.engines().values().forEach(e -> recoveries.addAll(e.kpis().drainRecovered()));
        }
        recoveries.removeIf(r -> (from != null && r.at().isBefore(from)) || (to != null && !r.at().isBefore(to)));

        String schema = "alert_volume_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (Database db = Database.connect(url, null, null)) {
            Migrations.apply(db.dsl(), Path.of("db"));
            EventStore events = new EventStore(db.dsl());
            for (int i = 0; i < stored.size(); i += 10_000) {
                events.insert(stored.subList(i, Math.min(stored.size(), i + 10_000)));
            }
            AlertService alerts = new AlertService(db.dsl(), Clock.systemUTC(), null, m -> { });
            settings.forEach((k, v) -> {
                AlertParameters.validate(k, v);
                alerts.store().putSetting(k, v, "AlertVolume");
            });
            // The clock steps to each finding's time: what is due then is decided, then the
            // findings of that instant are grouped with that instant as the time they arrived.
            TreeMap<Instant, List<Finding>> byTime = new TreeMap<>();
            findings.forEach(f -> byTime.computeIfAbsent(f.at(), k -> new ArrayList<>()).add(f));
            TreeMap<Instant, List<KpiRecovered>> backAt = new TreeMap<>();
            recoveries.forEach(r -> backAt.computeIfAbsent(r.at(), k -> new ArrayList<>()).add(r));
            backAt.keySet().forEach(t -> byTime.putIfAbsent(t, new ArrayList<>()));
            for (var e : byTime.entrySet()) {
                alerts.tick(e.getKey());
                alerts.route(e.getValue());
                alerts.recovered(backAt.getOrDefault(e.getKey(), List.of()));
                alerts.tick(e.getKey());
            }
            if (!byTime.isEmpty()) {
                alerts.tick(byTime.lastKey().plus(2, ChronoUnit.DAYS));
            }
            report(alerts, findings, recoveries.size(), out);
            alerts.close();
        } finally {
            try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static void report(AlertService alerts, List<Finding> findings, int recoveries, PrintStream out) {
        Map<String, int[]> items = alerts.store().countItems();
        Map<String, Integer> sent = alerts.store().countLog("sent");
        Map<String, Integer> folded = alerts.store().countLog("folded");
        Map<String, Integer> silenced = alerts.store().countLog("silenced");
        Map<String, Integer> escalated = alerts.store().countLog("escalated");
        Map<String, Integer> resolved = alerts.store().countLog("resolved");
        Set<String> roles = new TreeSet<>(java.util.Comparator.comparingInt(r -> {
            int i = Roles.ALL.indexOf(r);
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        roles.addAll(items.keySet());
        roles.addAll(escalated.keySet());
        Instant first = findings.isEmpty() ? null : findings.get(0).at();
        Instant last = findings.isEmpty() ? null : findings.get(findings.size() - 1).at();
        out.printf("%d findings from %s to %s; settings changed from the defaults: %s%n",
                findings.size(), first, last, alerts.store().settings());
        out.printf("%-18s %10s %10s %12s %10s %12s %10s%n", "role", "one-by-one", "grouped", "+inhibited", "folded",
                "escalations", "resolved");
        int[] total = new int[6];
        for (String r : roles) {
            int[] it = items.getOrDefault(r, new int[2]);
            int s = sent.getOrDefault(r, 0);
            int f = folded.getOrDefault(r, 0);
            int e = escalated.getOrDefault(r, 0);
            // Without inhibition, the groups folded whole would have gone out too.
            int grouped = s + f + silenced.getOrDefault(r, 0);
            int back = resolved.getOrDefault(r, 0);
            out.printf("%-18s %10d %10d %12d %10d %12d %10d%n", r, it[0], grouped, s, it[1], e, back);
            total[5] += back;
            total[0] += it[0];
            total[1] += grouped;
            total[2] += s;
            total[3] += it[1];
            total[4] += e;
        }
        out.printf("%-18s %10d %10d %12d %10d %12d %10d%n", "all", total[0], total[1], total[2], total[3], total[4],
                total[5]);
        out.printf("%d KPI recoveries; %d alerts resolved%n", recoveries,
                alerts.store().count(new AlertStore.Filter(null, null, AlertStatus.RESOLVED.value(), null,
                        null, null)));
        // What the general manager's group gets a day (issue 19.3), and whether every incident that
        // must reach the GM still does: collective and major complaints and emergencies.
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        Map<java.time.LocalDate, Integer> perDay = alerts.store().messagesPerDay("general_manager", zone);
        long days = first == null ? 0 : java.time.temporal.ChronoUnit.DAYS.between(first.atZone(zone).toLocalDate(),
                last.atZone(zone).toLocalDate()) + 1;
        int gm = perDay.values().stream().mapToInt(Integer::intValue).sum();
        out.printf("general_manager: %d messages on %d days: %.1f a day on average, at most %d on one day (%s)%n", gm, days,
                days == 0 ? 0.0 : (double) gm / days, perDay.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                perDay.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().toString()).orElse("-"));
        Set<String> mustRules = new TreeSet<>(alerts.parameters().emergencyRules());
        mustRules.addAll(alerts.parameters().inhibitSources());
        Set<String> must = new TreeSet<>();
        for (Finding f : findings) {
            // those that climb to the GM when nobody acknowledges (escalate.kinds), or go to the GM at once
            if (mustRules.contains(f.rule()) && (alerts.parameters().escalateKinds().contains(f.kind())
                    || "general_manager".equals(f.role()))) {
                must.add(f.community() + " " + f.rule() + " " + f.subject());
            }
        }
        Set<String> reached = alerts.store().subjectsThatReached("general_manager", mustRules);
        Set<String> missed = new TreeSet<>(must);
        missed.removeAll(reached);
        out.printf("must reach the general manager (%s): %d incidents, %d reached, %d not%s%n", String.join(", ", mustRules),
                must.size(), must.size() - missed.size(), missed.size(),
                missed.isEmpty() ? "" : ": " + String.join("; ", missed.stream().limit(10).toList()));
        out.println("one-by-one: a message per finding and role; grouped: per community+rule+kind+role window;"
                + " +inhibited: also folding the tickets of collective/major incidents (sent);"
                + " folded: findings folded under an incident; escalations: if nobody ever acknowledges;"
                + " resolved: resolved notices (a KPI back at target, to those told of it).");
    }
}
