package pm.monitor.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.ReportStore;

/**
 * Hits per rule and community over a period, and the loaded rules that never fired: what the
 * quality department looks at to see whether a rule is doing anything (GET /api/rules gives the
 * loaded rules; the findings say which of them produced something).
 */
public final class RulesView {
    private RulesView() {
    }

    /**
     * @param hits      counts in the period
     * @param firedEver asks the store which of the given rules ever produced a finding (asked
     *                  only for the rules silent in the period)
     * @param breakdown a rule id whose per-community hits to page through, or null
     */
    public static Map<String, Object> build(RuleSet rules, List<ReportStore.Hits> hits,
                                            Function<List<String>, Set<String>> firedEver,
                                            Directory dir, String breakdown, int limit, int offset) {
        // One catalog id may be several DRL rules (the one opening a duty, those meeting it).
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (RuleInfo r : rules.rules()) {
            if (r.id() == null) {
                continue;
            }
            Map<String, Object> m = byId.computeIfAbsent(r.id(), id -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("id", id);
                x.put("clause", r.clause());
                x.put("notify", r.role());
                x.put("file", r.file());
                x.put("drlRules", 0);
                x.put("loaded", true);
                return x;
            });
            m.put("drlRules", (Integer) m.get("drlRules") + 1);
            if (m.get("notify") == null && r.role() != null) {
                m.put("notify", r.role());
            }
        }
        Map<String, long[]> totals = new HashMap<>();
        Map<String, Set<String>> communitiesHit = new HashMap<>();
        Map<String, Map<String, long[]>> perCommunity = new HashMap<>();
        for (ReportStore.Hits h : hits) {
            long[] t = totals.computeIfAbsent(h.rule(), x -> new long[4]);
            add(t, h.kind(), h.count());
            communitiesHit.computeIfAbsent(h.rule(), x -> new HashSet<>()).add(h.community());
            if (h.rule().equals(breakdown)) {
                add(perCommunity.computeIfAbsent(breakdown, x -> new HashMap<>())
                        .computeIfAbsent(h.community(), x -> new long[4]), h.kind(), h.count());
            }
        }
        // Findings of rules no longer loaded (a rule removed or renamed) still count.
        for (String id : totals.keySet()) {
            byId.computeIfAbsent(id, x -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", x);
                m.put("clause", null);
                m.put("notify", null);
                m.put("file", null);
                m.put("drlRules", 0);
                m.put("loaded", false);
                return m;
            });
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> never = new ArrayList<>();
        for (Map<String, Object> m : byId.values()) {
            String id = (String) m.get("id");
            long[] t = totals.getOrDefault(id, new long[4]);
            m.put("hits", t[0]);
            m.put("violation", t[1]);
            m.put("alert", t[2]);
            m.put("warning", t[3]);
            m.put("communities", communitiesHit.getOrDefault(id, Set.of()).size());
            out.add(m);
            if (t[0] == 0 && Boolean.TRUE.equals(m.get("loaded"))) {
                never.add(id);
            }
        }
        Set<String> fired = never.isEmpty() ? Set.of() : firedEver.apply(never);
        List<String> neverEver = never.stream().filter(id -> !fired.contains(id)).toList();
        out.sort(Comparator.<Map<String, Object>>comparingLong(m -> -(Long) m.get("hits"))
                .thenComparing(m -> (String) m.get("id")));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", rules.version());
        result.put("rules", out);
        result.put("neverFired", never);
        result.put("neverFiredEver", neverEver);
        if (breakdown != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map.Entry<String, long[]> e : perCommunity.getOrDefault(breakdown, Map.of()).entrySet()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("community", e.getKey());
                Directory.Community c = dir.get(e.getKey());
                r.put("name", c == null ? null : c.name());
                r.put("hits", e.getValue()[0]);
                r.put("violation", e.getValue()[1]);
                r.put("alert", e.getValue()[2]);
                r.put("warning", e.getValue()[3]);
                rows.add(r);
            }
            rows.sort(Comparator.<Map<String, Object>>comparingLong(m -> -(Long) m.get("hits"))
                    .thenComparing(m -> (String) m.get("community")));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("rule", breakdown);
            b.put("total", rows.size());
            b.put("limit", limit);
            b.put("offset", offset);
            b.put("items", rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit)));
            result.put("breakdown", b);
        }
        return result;
    }

    private static void add(long[] t, String kind, long n) {
        t[0] += n;
        switch (kind) {
            case "violation" -> t[1] += n;
            case "alert" -> t[2] += n;
            case "warning" -> t[3] += n;
            default -> { }
        }
    }
}
