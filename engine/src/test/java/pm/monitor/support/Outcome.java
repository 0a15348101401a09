package pm.monitor.support;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;

/**
 * What a run produced, in a form two runs can be compared by: findings as sorted
 * "id rule kind subject" lines, KPIs as "kpi|community|period" → "numerator/denominator". The
 * equivalence tests (replay against serve, crash, outage, lateness) all compare these.
 */
public final class Outcome {
    private Outcome() {
    }

    public static String line(Finding f) {
        return f.id() + " " + f.rule() + " " + f.kind() + " " + f.subject();
    }

    /** The findings as lines; fails on a finding given twice. */
    public static TreeSet<String> findings(Collection<Finding> findings) {
        TreeSet<String> out = new TreeSet<>();
        for (Finding f : findings) {
            if (!out.add(line(f))) {
                throw new AssertionError("finding given twice: " + f);
            }
        }
        return out;
    }

    /** Every finding the server's API lists, page by page. */
    public static TreeSet<String> findings(TestServer server) {
        TreeSet<String> live = new TreeSet<>();
        for (int offset = 0; ; offset += 1000) {
            List<Map<String, Object>> page = server.findings("offset=" + offset);
            for (Map<String, Object> f : page) {
                live.add(f.get("id") + " " + f.get("rule") + " " + f.get("kind") + " " + f.get("subject"));
            }
            if (page.size() < 1000) {
                return live;
            }
        }
    }

    public static TreeMap<String, String> kpis(Collection<Kpi> kpis) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Kpi k : kpis) {
            out.put(k.kpi() + "|" + k.community() + "|" + k.period(), k.numerator() + "/" + k.denominator());
        }
        return out;
    }

    /** Every KPI the server's API lists. */
    @SuppressWarnings("unchecked")
    public static TreeMap<String, String> kpis(TestServer server) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map<String, Object> k : (List<Map<String, Object>>) TestServer.json(server.get("/api/kpis")).get("items")) {
            out.put(k.get("kpi") + "|" + k.get("community") + "|" + k.get("period"), k.get("numerator") + "/" + k.get("denominator"));
        }
        return out;
    }
}
