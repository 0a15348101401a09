package pm.monitor.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import pm.monitor.calendar.Calendars;

/**
 * Compiles a rules folder: every {@code *.drl} under it, {@code parameters.conf} and the
 * calendars of {@code calendar/}. All problems are collected, each with its file and line, so
 * an analyst sees every mistake of a change at once.
 */
public final class RuleBook {
    private RuleBook() {
    }

    public static final String PARAMETERS = "parameters.conf";
    /** A pattern on findings in DRL, and the rule id it asks for (if it names one). */
    private static final Pattern FINDING_PATTERN = Pattern.compile("\\bFinding\\s*\\(([^)]*)\\)");
    private static final Pattern RULE_CONSTRAINT = Pattern.compile("\\brule\\s*==\\s*\"([^\"]+)\"");
    private static final Pattern PARAM_USE = Pattern.compile("params\\s*\\.\\s*(limit|duration|count|percent|bool)\\s*\\(\\s*\"([^\"]*)\"");

    /** Compiles the folder or throws with every problem found. */
    public static RuleSet load(Path dir, Clock wall) {
        List<Problem> problems = new ArrayList<>();
        RuleSet set = compile(dir, problems, wall);
        if (!problems.isEmpty()) {
            throw new RulesException(problems);
        }
        return set;
    }

    /** Every problem of the folder; empty when it is good. */
    public static List<Problem> validate(Path dir) {
        List<Problem> problems = new ArrayList<>();
        compile(dir, problems, Clock.systemUTC());
        return problems;
    }

    /** Compiles the folder; problems are added to {@code problems}, and null returned when there are any. */
    public static RuleSet compile(Path dir, List<Problem> problems, Clock wall) {
        return compile(dir, problems, new ArrayList<>(), null, wall);
    }

    /**
     * Compiles the folder: problems (errors) are added to {@code problems}, and null returned when
     * there are any; {@code notes} get what does not stop it (files left out, a section for a
     * community not in {@code knownCommunities}; null: the communities are not known here).
     */
    public static RuleSet compile(Path dir, List<Problem> problems, List<Problem> notes,
                                  java.util.Set<String> knownCommunities, Clock wall) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            problems.add(new Problem(dir.toString(), 0, "no such folder"));
            return null;
        }
        RulesFolder.Listing listing;
        try {
            listing = RulesFolder.list(root);
        } catch (IOException e) {
            problems.add(new Problem(root.toString(), 0, "cannot list: " + e.getMessage()));
            return null;
        }
        notes.addAll(listing.ignored());
        java.util.SortedMap<String, String> files = new java.util.TreeMap<>();
        String version = read(listing, files, problems, notes);
        List<String> drls = files.keySet().stream().filter(n -> n.endsWith(".drl")).toList();
        if (drls.isEmpty()) {
            problems.add(new Problem(dir.toString(), 0, "no .drl files"));
        }
        Parameters parameters = Parameters.load(root.resolve(PARAMETERS), PARAMETERS, problems);
        if (knownCommunities != null) {
            notes.addAll(parameters.unknownCommunities(PARAMETERS, knownCommunities));
        }
        List<Calendars.Problem> calendarProblems = new ArrayList<>();
        Calendars calendars = Calendars.load(root.resolve("calendar"), calendarProblems);
        for (Calendars.Problem p : calendarProblems) {
            problems.add(new Problem(relative(root, p.file()), p.line(), p.message()));
        }

        // null: some rule matches findings of any rule
        java.util.Set<String>[] watched = new java.util.Set[] {new java.util.TreeSet<>()};
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        KieServices ks = KieServices.Factory.get();
        Map<String, DrlOutline> outlines = new java.util.HashMap<>();
        java.util.Set<String> usedParameters = new java.util.HashSet<>(ParameterCatalog.engine().keySet());
        for (String name : drls) {
            String text = files.get(name);
            outlines.put(name, DrlOutline.of(name, text));
            checkParameterNames(name, text, parameters, usedParameters, problems);
            findingsOfInterest(text, watched);
            Resource r = ks.getResources().newByteArrayResource(text.getBytes(StandardCharsets.UTF_8));
            r.setSourcePath(name);
            r.setResourceType(ResourceType.DRL);
            builder.add(r, ResourceType.DRL);
        }
        List<KnowledgeBuilderResult> errors = new ArrayList<>(builder.getResults(ResultSeverity.ERROR));
        problems.addAll(DrlMessages.problems(errors, outlines));
        if (!errors.isEmpty()) {
            return null;
        }
        KieBaseConfiguration conf = ks.newKieBaseConfiguration();
        conf.setOption(EventProcessingOption.STREAM);
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(conf);
        kieBase.addPackages(builder.getKnowledgePackages());
        // described even when the parameters or calendars have problems: every mistake at once
        List<RuleInfo> rules = describe(kieBase, outlines, problems, notes);
        checkSwitches(parameters, rules, problems);
        unusedParameters(parameters, usedParameters, notes);
        RuleLints.check(kieBase, outlines, files, root.resolve("HANDBOOK-RULES.md"), problems, notes);
        if (!problems.isEmpty()) {
            return null;
        }
        return new RuleSet(root, kieBase, parameters, calendars, version, wall.instant(), rules, files,
                watched[0]);
    }

    /**
     * Compiles a version stored earlier (its files as they were recorded) under its recorded
     * version: what a restart falls back on when the folder is refused. The files are laid out
     * in a temporary folder for the compiler; the rule set names {@code shownAs} as its folder.
     */
    public static RuleSet compileStored(String version, java.util.SortedMap<String, String> stored, Path shownAs,
                                        List<Problem> problems, Clock wall) {
        Path temp = null;
        try {
            temp = Files.createTempDirectory("rules-" + version + "-");
            // a version stored before parameters had declared types loads with the types its rules read
            for (Map.Entry<String, String> f : LegacyParameters.upgrade(stored).entrySet()) {
                Path p = temp.resolve(f.getKey()).normalize();
                if (!p.startsWith(temp)) {
                    problems.add(new Problem(f.getKey(), 0, "a stored file outside the rules folder"));
                    return null;
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
            RuleSet set = compile(temp, problems, new ArrayList<>(), null, wall);
            if (set == null) {
                return null;
            }
            RuleSet shown = set.as(shownAs.toAbsolutePath().normalize(), version, stored);
            if (stored.entrySet().stream().noneMatch(f -> f.getKey().endsWith(".drl") && f.getValue().contains("@kpi("))) {
                shown.countKpisAsBeforeAnnotations(); // stored before KPIs were named in the DRL
            }
            return shown;
        } catch (IOException e) {
            problems.add(new Problem("-", 0, "cannot lay out the stored version " + version + ": " + e.getMessage()));
            return null;
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temporary folder: left for the system to clear
                }
            });
        } catch (IOException e) {
            // idem
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version: the first 12 hex digits of the SHA-256 over every rules file's path and content. */
    private static String hex(byte[] h) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            hex.append(String.format("%02x", h[i]));
        }
        return hex.toString();
    }

    /**
     * @param notes get a notifying rule without {@code @owner}: a warning, not an error, so that a
     *              version stored before owners were written (a rollback target) still loads
     */
    private static List<RuleInfo> describe(KieBase kieBase, Map<String, DrlOutline> outlines, List<Problem> problems,
                                           List<Problem> notes) {
        List<RuleInfo> rules = new ArrayList<>();
        boolean anyKpi = false;
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                Object clause = r.getMetaData().get("clause");
                Object notify = r.getMetaData().get("notify");
                Object kind = r.getMetaData().get("kind");
                String file = r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl
                        && impl.getResource() != null ? impl.getResource().getSourcePath() : p.getName();
                DrlOutline outline = outlines.get(file);
                int line = outline == null ? 0 : outline.lineOf(r.getName());
                if (id == null) {
                    problems.add(new Problem(file, line, "rule \"" + r.getName() + "\" has no @id(...): give it its catalog id,"
                            + " e.g. @id(\"complaint.contact-2h\") (规则缺少 @id)"));
                }
                if (clause == null) {
                    problems.add(new Problem(file, line, "rule \"" + r.getName() + "\" has no @clause(...): name the handbook"
                            + " clause it follows (规则缺少 @clause)"));
                }
                if (kind != null && !kind.equals("violation") && !kind.equals("alert") && !kind.equals("check")) {
                    problems.add(new Problem(file, line, "rule \"" + r.getName() + "\": @kind must be violation, alert or "
                            + "check, not " + kind));
                }
                if (notify != null && !pm.monitor.event.Vocabulary.ROLE.contains(notify.toString())) {
                    problems.add(new Problem(file, line, "rule \"" + r.getName() + "\": @notify " + notify
                            + " is not a role (" + pm.monitor.event.Vocabulary.ROLE + ")"));
                }
                Object kpi = r.getMetaData().get("kpi");
                if (kpi != null) {
                    anyKpi = true;
                    checkKpi(r.getName(), kpi.toString(), kind, file, line, problems);
                }
                Object owner = r.getMetaData().get("owner");
                if (notify != null && owner == null) {
                    notes.add(new Problem(file, line, "warning: rule \"" + r.getName() + "\" has @notify but no @owner(...):"
                            + " say who answers for it, e.g. @owner(\"front_desk: receivedBy\"); its duties count for no one"
                            + " on the People page (规则缺少 @owner)"));
                } else if (owner != null) {
                    try {
                        Owner o = Owner.parse(owner.toString());
                        if (!pm.monitor.event.Vocabulary.ROLE.contains(o.role()) && !Owner.MORE_ROLES.contains(o.role())) {
                            problems.add(new Problem(file, line, "rule \"" + r.getName() + "\": @owner role " + o.role()
                                    + " is not a role (" + pm.monitor.event.Vocabulary.ROLE + ", " + Owner.MORE_ROLES + ")"));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(new Problem(file, line, "rule \"" + r.getName() + "\": " + e.getMessage()));
                    }
                }
                rules.add(new RuleInfo(r.getName(), str(id), str(clause), str(notify),
                        kind == null ? "violation" : kind.toString(), file, line, str(r.getMetaData().get("measures"))));
            }
        }
        if (!anyKpi && !rules.isEmpty()) {
            notes.add(new Problem("*.drl", 0, "warning: no rule names a KPI with @kpi(...): the KPIs made of duties"
                    + " (" + String.join(", ", pm.monitor.kpi.KpiMembership.FROM_DUTIES) + ") count nothing"
                    + " (没有规则标注 @kpi)"));
        }
        rules.sort(Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::name));
        return rules;
    }

    /**
     * {@code @kpi} must name KPIs counted from duties ({@link pm.monitor.kpi.KpiMembership#FROM_DUTIES}),
     * on a rule whose duties are violations: a misspelt id would silently count toward nothing.
     */
    private static void checkKpi(String rule, String text, Object kind, String file, int line, List<Problem> problems) {
        List<String> ids = RuleSet.kpiIds(text);
        if (ids.isEmpty()) {
            problems.add(new Problem(file, line, "rule \"" + rule + "\": @kpi names no KPI; write e.g. @kpi(\"kpi.timeliness\")"));
        }
        for (String id : ids) {
            if (!pm.monitor.kpi.KpiMembership.FROM_DUTIES.contains(id)) {
                problems.add(new Problem(file, line, "rule \"" + rule + "\": @kpi " + id + " is not a KPI counted from"
                        + " rules' duties (" + String.join(", ", pm.monitor.kpi.KpiMembership.FROM_DUTIES) + ")"
                        + (pm.monitor.kpi.KpiIds.ALL.contains(id) ? "; " + id + " is counted from events" : "")
                        + " (@kpi 指标不存在)"));
            }
        }
        if (kind != null && !kind.equals("violation")) {
            problems.add(new Problem(file, line, "rule \"" + rule + "\": @kpi on a rule of @kind " + kind
                    + ": only duties of kind violation count toward KPIs"));
        }
    }

    /** {@code <rule id>.enabled} must name a rule id: a misspelt switch would silently switch nothing. */
    private static void checkSwitches(Parameters parameters, List<RuleInfo> rules, List<Problem> problems) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        java.util.Set<String> keys = new java.util.TreeSet<>(parameters.defaults().keySet());
        parameters.overrides().values().forEach(m -> keys.addAll(m.keySet()));
        for (String key : keys) {
            if (ParameterCatalog.isSwitch(key) && parameters.declarations().get(key) == null) {
                String id = key.substring(0, key.length() - ParameterCatalog.ENABLED.length());
                if (!ids.contains(id)) {
                    problems.add(new Problem(PARAMETERS, 0, key + ": no rule has the id " + id));
                }
            }
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /**
     * Which rules' findings some rule reacts to ({@code Finding(rule == "...")}): only those are
     * shown to the rules, instead of every finding costing a round through the session.
     */
    private static void findingsOfInterest(String text, java.util.Set<String>[] watched) {
        String code = text.replaceAll("//[^\n]*", "");
        Matcher m = FINDING_PATTERN.matcher(code);
        while (m.find()) {
            Matcher r = RULE_CONSTRAINT.matcher(m.group(1));
            if (r.find()) {
                if (watched[0] != null) {
                    watched[0].add(r.group(1));
                }
            } else {
                watched[0] = null;
            }
        }
    }

    /**
     * A misspelt parameter would otherwise fail only when the rule first fires. The names read
     * are added to {@code used} (a name completed at run time, {@code "repair.arrival." + urgency},
     * as a prefix ending in a dot).
     */
    private static void checkParameterNames(String file, String text, Parameters parameters, java.util.Set<String> used,
                                            List<Problem> problems) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = lines[i].replaceAll("//.*", "");
            Matcher m = PARAM_USE.matcher(code);
            while (m.find()) {
                String accessor = m.group(1);
                String key = m.group(2);
                used.add(key);
                if (key.endsWith(".")) {
                    boolean any = parameters.declarations().keySet().stream().anyMatch(k -> k.startsWith(key));
                    if (!any) {
                        problems.add(new Problem(file, i + 1, "no parameter starts with " + key + " (declare them in "
                                + PARAMETERS + ")"));
                    }
                    continue;
                }
                ParameterCatalog.Type type = parameters.type(key);
                if (type == null) {
                    problems.add(new Problem(file, i + 1, "no parameter named " + key
                            + Parameters.suggestion(key, parameters.declarations().keySet())
                            + " (declare it in " + PARAMETERS + ": " + key + " : " + accessor + " = ..., with a comment)"));
                } else if (!type.word().equals(accessor)) {
                    problems.add(new Problem(file, i + 1, "parameter " + key + " is a " + type.word()
                            + ", read it with params." + type.word() + "(...)"));
                }
            }
        }
    }

    /** Lint: a declared parameter that no rule and not the engine reads changes nothing when edited. */
    private static void unusedParameters(Parameters parameters, java.util.Set<String> used, List<Problem> notes) {
        for (Parameters.Declaration d : parameters.declarations().values()) {
            boolean read = used.contains(d.name())
                    || used.stream().anyMatch(u -> u.endsWith(".") && d.name().startsWith(u));
            if (!read) {
                notes.add(new Problem(PARAMETERS, d.line(), "warning: parameter " + d.name() + " is declared but no rule"
                        + " reads it (params." + d.type().word() + "(\"" + d.name() + "\")): changing it changes nothing"
                        + " (未使用的参数)"));
            }
        }
    }

    static String relative(Path root, Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Reads every rules file of the listing once, as UTF-8 text, into {@code files}: the version
     * is the hash of these bytes (returned), and these texts are what is stored with it.
     */
    private static String read(RulesFolder.Listing listing, java.util.SortedMap<String, String> files,
                               List<Problem> problems, List<Problem> notes) {
        MessageDigest sha = sha256();
        for (Map.Entry<String, Path> f : listing.files().entrySet()) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f.getValue());
            } catch (IOException e) {
                problems.add(new Problem(f.getKey(), 0, "cannot read: " + e.getMessage()));
                continue;
            }
            String text = RulesFolder.text(bytes);
            if (text == null) {
                if (RulesFolder.isDocument(f.getValue().getFileName().toString())) {
                    notes.add(new Problem(f.getKey(), 0, "ignored: not UTF-8 text (已忽略：不是 UTF-8 文本)"));
                } else {
                    problems.add(new Problem(f.getKey(), 0, "not UTF-8 text: save it as UTF-8 "
                            + "(不是 UTF-8 文本，请以 UTF-8 保存)"));
                }
                continue;
            }
            sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
            sha.update((byte) 0);
            files.put(f.getKey(), text);
        }
        return hex(sha.digest());
    }

    /**
     * The version the folder would have, without compiling it ({@code --version}): the hash of
     * its rules files, or null when the folder cannot be read.
     */
    public static String version(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return null;
        }
        List<Problem> problems = new ArrayList<>();
        try {
            String v = read(RulesFolder.list(root), new java.util.TreeMap<>(), problems, new ArrayList<>());
            return problems.isEmpty() ? v : null;
        } catch (IOException e) {
            return null;
        }
    }
}
