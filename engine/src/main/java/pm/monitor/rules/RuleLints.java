package pm.monitor.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * The mistakes in ids that compile and run but give wrong findings (issue 18.6), each at its
 * file and line. Errors: the same rule name in two packages (a copied file: every finding
 * twice), a helper rule whose {@code @id} opens no duty (a misspelt id: its meet closes nothing,
 * so the duty it should close is breached), a {@code @clause} naming a handbook the catalog does
 * not have. Warnings: an id the catalog ({@code HANDBOOK-RULES.md}) does not list, a clause the
 * catalog does not cite, one id in rules of two packages.
 */
final class RuleLints {
    private RuleLints() {
    }

    private static final Pattern CATALOG_ROW = Pattern.compile("(?m)^\\| `([a-z][a-z0-9.-]+)` \\|(.*)\\|\\s*$");
    private static final Pattern OPENS = Pattern.compile("\\bduties\\s*\\.\\s*(open|missed|breakNow)\\s*\\(|\\bfindings\\s*\\.");
    private static final Pattern CLOSES = Pattern.compile("\\bduties\\s*\\.\\s*(meet|waive)\\s*\\(\\s*drools\\b");

    /** One rule as the lints see it. */
    private record Seen(String name, String pkg, String id, String clause, String file, int line, String consequence,
                        boolean named, boolean notifies) {
    }

    static void check(KieBase kieBase, Map<String, DrlOutline> outlines, Map<String, String> files, Path catalog,
                      List<Problem> problems, List<Problem> notes) {
        List<Seen> rules = new ArrayList<>();
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                String file = r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl
                        && impl.getResource() != null ? impl.getResource().getSourcePath() : p.getName();
                DrlOutline outline = outlines.get(file);
                DrlOutline.Block block = null;
                if (outline != null) {
                    for (DrlOutline.Block b : outline.blocks()) {
                        if (b.name().equals(r.getName())) {
                            block = b;
                        }
                    }
                }
                rules.add(new Seen(r.getName(), p.getName(), str(r.getMetaData().get("id")),
                        str(r.getMetaData().get("clause")), file, block == null ? 0 : block.line(),
                        consequence(files.get(file), block),
                        r.getMetaData().get("zh") != null && r.getMetaData().get("en") != null,
                        r.getMetaData().get("notify") != null));
            }
        }
        rules.sort(java.util.Comparator.comparing(Seen::file).thenComparing(Seen::line));
        duplicates(rules, problems, notes);
        helpers(rules, problems);
        catalog(rules, catalog, problems, notes);
        names(rules, notes);
    }

    /** An id whose rules give findings but carry no {@code @zh}/{@code @en}: shown as its bare id. */
    private static void names(List<Seen> rules, List<Problem> notes) {
        Set<String> named = new TreeSet<>();
        rules.stream().filter(r -> r.named() && r.id() != null).forEach(r -> named.add(r.id()));
        Set<String> reported = new TreeSet<>();
        for (Seen r : rules) {
            // a KPI's alert rule is named after its KPI (Labels.kpi)
            if (r.id() != null && r.notifies() && !named.contains(r.id()) && !pm.monitor.kpi.KpiIds.ALL.contains(r.id())
                    && reported.add(r.id())) {
                notes.add(new Problem(r.file(), r.line(), "warning: no rule of id " + r.id() + " has @zh(\"...\") @en(\"...\"):"
                        + " the dashboard, reports and messages will show the bare id (规则缺少中英文名称)"));
            }
        }
    }

    private static void duplicates(List<Seen> rules, List<Problem> problems, List<Problem> notes) {
        Map<String, Seen> byName = new LinkedHashMap<>();
        for (Seen r : rules) {
            Seen first = byName.putIfAbsent(r.name(), r);
            if (first != null && !first.pkg().equals(r.pkg())) {
                problems.add(new Problem(r.file(), r.line(), "rule \"" + r.name() + "\" is also in package " + first.pkg()
                        + " (" + first.file() + ":" + first.line() + "): both would fire and every finding come twice;"
                        + " remove the copy or rename it (规则重名)"));
            }
        }
        // one id in two packages (not by a copied rule, reported above): a warning at the first rule of the second package
        Map<String, Seen> firstOfId = new LinkedHashMap<>();
        Set<String> warned = new TreeSet<>();
        for (Seen r : rules) {
            if (r.id() == null || byName.get(r.name()) != r) {
                continue;
            }
            Seen first = firstOfId.putIfAbsent(r.id(), r);
            if (first != null && !first.pkg().equals(r.pkg()) && warned.add(r.id() + " " + r.pkg())) {
                notes.add(new Problem(r.file(), r.line(), "warning: @id(\"" + r.id() + "\") is also used in package "
                        + first.pkg() + " (" + first.file() + ":" + first.line() + "): one id's rules belong together"
                        + " (同一 id 分布在多个包)"));
            }
        }
    }

    private static void helpers(List<Seen> rules, List<Problem> problems) {
        Set<String> opened = new TreeSet<>();
        for (Seen r : rules) {
            if (r.id() != null && OPENS.matcher(r.consequence()).find()) {
                opened.add(r.id());
            }
        }
        for (Seen r : rules) {
            if (r.id() == null || opened.contains(r.id())) {
                continue;
            }
            Matcher m = CLOSES.matcher(r.consequence());
            if (m.find()) {
                problems.add(new Problem(r.file(), r.line(), "rule \"" + r.name() + "\": @id(\"" + r.id() + "\") opens no"
                        + " duty (no rule with this id calls duties.open), so its duties." + m.group(1)
                        + " closes nothing" + closest(r.id(), opened) + " (此 @id 没有打开任何职责)"));
            }
        }
    }

    private static void catalog(List<Seen> rules, Path catalog, List<Problem> problems, List<Problem> notes) {
        if (catalog == null || !Files.isRegularFile(catalog)) {
            return;
        }
        String text;
        try {
            text = Files.readString(catalog);
        } catch (java.io.IOException e) {
            notes.add(new Problem(catalog.getFileName().toString(), 0, "cannot read the catalog: " + e.getMessage()));
            return;
        }
        Map<String, String> sources = ClauseIndex.sources(catalog);
        Map<String, String> clauseOfId = new LinkedHashMap<>();
        Set<String> cited = new LinkedHashSet<>();
        Matcher m = CATALOG_ROW.matcher(text);
        while (m.find()) {
            String[] cells = m.group(2).split("\\|");
            String clause = cells[cells.length - 1].trim();
            clauseOfId.put(m.group(1), clause);
            cited.addAll(ClauseIndex.split(clause, sources.keySet()));
        }
        Set<String> reported = new TreeSet<>();
        for (Seen r : rules) {
            if (r.id() != null && !clauseOfId.containsKey(r.id()) && reported.add("id " + r.id())) {
                notes.add(new Problem(r.file(), r.line(), "warning: id " + r.id() + " is not in the catalog "
                        + catalog.getFileName() + closest(r.id(), clauseOfId.keySet())
                        + ": add a row for it, or correct the id (目录中没有此 id)"));
            }
            if (r.clause() == null) {
                continue;
            }
            for (String c : ClauseIndex.split(r.clause(), sources.keySet())) {
                String handbook = c.split(" ")[0];
                if (!sources.containsKey(handbook)) {
                    if (reported.add("handbook " + r.file() + r.line() + c)) {
                        problems.add(new Problem(r.file(), r.line(), "rule \"" + r.name() + "\": @clause " + c
                                + " names no handbook of the catalog (" + String.join(", ", sources.keySet())
                                + ") (条款引用的手册不存在)"));
                    }
                } else if (!cited.contains(c) && reported.add("clause " + r.id() + c)) {
                    notes.add(new Problem(r.file(), r.line(), "warning: @clause " + c + " of rule \"" + r.name()
                            + "\" is not cited in the catalog " + catalog.getFileName()
                            + (clauseOfId.containsKey(r.id()) ? " (its row for " + r.id() + " says " + clauseOfId.get(r.id())
                            + ")" : "") + " (目录未引用此条款)"));
                }
            }
        }
    }

    private static String consequence(String text, DrlOutline.Block block) {
        if (text == null || block == null || block.then() == 0) {
            return "";
        }
        String[] lines = text.split("\n", -1);
        StringBuilder s = new StringBuilder();
        int to = block.end() == 0 ? lines.length : Math.min(block.end(), lines.length);
        for (int i = block.then(); i <= to; i++) {
            s.append(lines[i - 1].replaceAll("//.*", "")).append('\n');
        }
        return s.toString();
    }

    private static String closest(String id, Set<String> known) {
        return Suggestions.closest(id, known, 3);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
