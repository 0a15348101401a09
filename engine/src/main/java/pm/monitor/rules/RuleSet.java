package pm.monitor.rules;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import pm.monitor.calendar.Calendars;

/**
 * A compiled, validated rules folder: the rule base, the parameters and the calendars, with
 * the version (a hash of every file's content) that each finding records.
 */
public final class RuleSet {
    private final Path dir;
    private final KieBase kieBase;
    private final Parameters parameters;
    private final Calendars calendars;
    private final String version;
    private final Instant loadedAt;
    private final List<RuleInfo> rules;
    private final java.util.SortedMap<String, String> files;
    private final java.util.Set<String> findingsWatched;

    RuleSet(Path dir, KieBase kieBase, Parameters parameters, Calendars calendars, String version, Instant loadedAt,
            List<RuleInfo> rules, java.util.SortedMap<String, String> files, java.util.Set<String> findingsWatched) {
        this.files = files;
        this.findingsWatched = findingsWatched;
        this.dir = dir;
        this.kieBase = kieBase;
        this.parameters = parameters;
        this.calendars = calendars;
        this.version = version;
        this.loadedAt = loadedAt;
        this.rules = rules;
    }

    /**
     * The same compiled rules under another folder name, version and files: a version stored
     * earlier keeps the version it was recorded under (see {@link RuleBook#compileStored}).
     */
    RuleSet as(Path dir, String version, java.util.SortedMap<String, String> files) {
        return new RuleSet(dir, kieBase, parameters, calendars, version, loadedAt, rules, files, findingsWatched);
    }

    /**
     * A session for one community: STREAM mode, on a pseudo clock that the runtime moves with
     * event time (the wall clock never enters rule logic).
     */
    public KieSession newSession() {
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        // A community's session is only ever worked on by one thread at a time (its shard, or
        // its replay task, handed over through an executor): Drools' locking is pure cost there.
        conf.setOption(org.kie.api.runtime.conf.ThreadSafeOption.NO);
        return kieBase.newKieSession(conf, null);
    }

    /**
     * Each rule id's name in Chinese and English, from its rules' {@code @zh("...") @en("...")}
     * annotations: how the dashboard, the reports and the messages name it.
     */
    public java.util.Map<String, String[]> labels() {
        java.util.Map<String, String[]> labels = new java.util.TreeMap<>();
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                Object zh = r.getMetaData().get("zh");
                Object en = r.getMetaData().get("en");
                if (id != null && (zh != null || en != null)) {
                    labels.putIfAbsent(id.toString(), new String[] {zh == null ? id.toString() : zh.toString(),
                            en == null ? id.toString() : en.toString()});
                }
            }
        }
        return labels;
    }

    /** The ids whose rules carry {@code @emergency(true)}: their findings wait for no grouping window. */
    public java.util.Set<String> emergencies() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                if (id != null && "true".equals(String.valueOf(r.getMetaData().get("emergency")))) {
                    ids.add(id.toString());
                }
            }
        }
        return ids;
    }

    /**
     * Each rule id's KPIs, from its rules' {@code @kpi("kpi.timeliness, kpi.response")} annotations
     * (several ids separated by commas; the rules of one id together): which KPIs its duties count toward.
     */
    public java.util.Map<String, java.util.Set<String>> kpis() {
        java.util.Map<String, java.util.Set<String>> kpis = new java.util.TreeMap<>();
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                Object kpi = r.getMetaData().get("kpi");
                if (id != null && kpi != null) {
                    kpis.computeIfAbsent(id.toString(), x -> new java.util.TreeSet<>()).addAll(kpiIds(kpi.toString()));
                }
            }
        }
        return kpis;
    }

    /** The KPI ids of one {@code @kpi} annotation's text. */
    static List<String> kpiIds(String text) {
        List<String> ids = new java.util.ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                ids.add(s.trim());
            }
        }
        return ids;
    }

    /** {@link #kpis()} for the KPI counting, read once per engine. */
    public pm.monitor.kpi.KpiMembership kpiMembership() {
        pm.monitor.kpi.KpiMembership m = membership;
        if (m == null) {
            m = new pm.monitor.kpi.KpiMembership(kpis());
            membership = m;
        }
        return m;
    }

    private volatile pm.monitor.kpi.KpiMembership membership;

    /** A version stored before {@code @kpi} existed counts its KPIs as it did then (RuleBook.compileStored). */
    void countKpisAsBeforeAnnotations() {
        membership = pm.monitor.kpi.KpiMembership.BEFORE_ANNOTATIONS;
    }

    /**
     * The ids whose rules carry {@code @inhibits(true)}: the per-ticket findings of an incident
     * their finding is about are folded under it (alert inhibition).
     */
    public java.util.Set<String> inhibitors() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                if (id != null && "true".equals(String.valueOf(r.getMetaData().get("inhibits")))) {
                    ids.add(id.toString());
                }
            }
        }
        return ids;
    }

    /** Whether some rule reacts to findings of this rule id (so the finding must be shown to the rules). */
    public boolean watchesFindingsOf(String rule) {
        return findingsWatched == null || findingsWatched.contains(rule);
    }

    /** The globals the DRL files declare: only those may be set on a session. */
    public java.util.Set<String> globals() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            p.getGlobalVariables().forEach(g -> names.add(g.getName()));
        }
        return names;
    }

    public Path dir() {
        return dir;
    }

    public Parameters parameters() {
        return parameters;
    }

    public Calendars calendars() {
        return calendars;
    }

    /** A short content hash of the rules folder, e.g. {@code 3f2a9c1e7b44}. */
    public String version() {
        return version;
    }

    /** When this version was loaded (wall clock: it dates the version, it is not rule logic). */
    public Instant loadedAt() {
        return loadedAt;
    }

    public List<RuleInfo> rules() {
        return rules;
    }

    /** The folder's files as they were compiled (relative path → text): for diffs, the audit and roll-back. */
    public java.util.SortedMap<String, String> files() {
        return files;
    }
}
