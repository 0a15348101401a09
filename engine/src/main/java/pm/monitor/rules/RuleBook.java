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
    private static final Pattern PARAM_USE = Pattern.compile("params\\s*\\.\\s*(limit|duration|count|percent)\\s*\\(\\s*\"([^\"]*)\"");

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
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            problems.add(new Problem(dir.toString(), 0, "no such folder"));
            return null;
        }
        List<Path> drls = files(root, ".drl", problems);
        if (drls.isEmpty()) {
            problems.add(new Problem(dir.toString(), 0, "no .drl files"));
        }
        Parameters parameters = Parameters.load(root.resolve(PARAMETERS), PARAMETERS, problems);
        List<Calendars.Problem> calendarProblems = new ArrayList<>();
        Calendars calendars = Calendars.load(root.resolve("calendar"), calendarProblems);
        for (Calendars.Problem p : calendarProblems) {
            problems.add(new Problem(relative(root, p.file()), p.line(), p.message()));
        }

        // null: some rule matches findings of any rule
        java.util.Set<String>[] watched = new java.util.Set[] {new java.util.TreeSet<>()};
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        KieServices ks = KieServices.Factory.get();
        for (Path drl : drls) {
            String name = relative(root, drl);
            String text;
            try {
                text = Files.readString(drl, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new Problem(name, 0, "cannot read: " + e.getMessage()));
                continue;
            }
            checkParameterNames(name, text, problems);
            findingsOfInterest(text, watched);
            Resource r = ks.getResources().newByteArrayResource(text.getBytes(StandardCharsets.UTF_8));
            r.setSourcePath(name);
            r.setResourceType(ResourceType.DRL);
            builder.add(r, ResourceType.DRL);
        }
        for (KnowledgeBuilderResult result : builder.getResults(ResultSeverity.ERROR)) {
            String file = result.getResource() == null ? "?" : result.getResource().getSourcePath();
            int[] lines = result.getLines();
            problems.add(new Problem(file, lines != null && lines.length > 0 ? lines[0] : 0,
                    result.getMessage().trim().replaceAll("\\s+", " ")));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        KieBaseConfiguration conf = ks.newKieBaseConfiguration();
        conf.setOption(EventProcessingOption.STREAM);
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(conf);
        kieBase.addPackages(builder.getKnowledgePackages());
        List<RuleInfo> rules = describe(kieBase, problems);
        checkSwitches(parameters, rules, problems);
        if (!problems.isEmpty()) {
            return null;
        }
        java.util.SortedMap<String, String> files = new java.util.TreeMap<>();
        String version = hash(root, problems, files);
        return new RuleSet(root, kieBase, parameters, calendars, version, wall.instant(), rules, files, watched[0]);
    }

    private static List<RuleInfo> describe(KieBase kieBase, List<Problem> problems) {
        List<RuleInfo> rules = new ArrayList<>();
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                Object id = r.getMetaData().get("id");
                Object clause = r.getMetaData().get("clause");
                Object notify = r.getMetaData().get("notify");
                Object kind = r.getMetaData().get("kind");
                String file = r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl
                        && impl.getResource() != null ? impl.getResource().getSourcePath() : p.getName();
                if (id == null) {
                    problems.add(new Problem(file, line(r), "rule \"" + r.getName() + "\" has no @id(...)"));
                }
                if (clause == null) {
                    problems.add(new Problem(file, line(r), "rule \"" + r.getName() + "\" has no @clause(...)"));
                }
                if (kind != null && !kind.equals("violation") && !kind.equals("alert") && !kind.equals("check")) {
                    problems.add(new Problem(file, line(r), "rule \"" + r.getName() + "\": @kind must be violation, alert or "
                            + "check, not " + kind));
                }
                if (notify != null && !pm.monitor.event.Vocabulary.ROLE.contains(notify.toString())) {
                    problems.add(new Problem(file, line(r), "rule \"" + r.getName() + "\": @notify " + notify
                            + " is not a role (" + pm.monitor.event.Vocabulary.ROLE + ")"));
                }
                rules.add(new RuleInfo(r.getName(), str(id), str(clause), str(notify),
                        kind == null ? "violation" : kind.toString(), file));
            }
        }
        rules.sort(Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::name));
        return rules;
    }

    /** {@code <rule id>.enabled} must name a rule id: a misspelt switch would silently switch nothing. */
    private static void checkSwitches(Parameters parameters, List<RuleInfo> rules, List<Problem> problems) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        java.util.Set<String> keys = new java.util.TreeSet<>(parameters.defaults().keySet());
        parameters.overrides().values().forEach(m -> keys.addAll(m.keySet()));
        for (String key : keys) {
            if (key.endsWith(ParameterCatalog.ENABLED) && ParameterCatalog.all().get(key) == null) {
                String id = key.substring(0, key.length() - ParameterCatalog.ENABLED.length());
                if (!ids.contains(id)) {
                    problems.add(new Problem(PARAMETERS, 0, key + ": no rule has the id " + id));
                }
            }
        }
    }

    private static int line(Rule r) {
        return r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl ? impl.getLoadOrder() : 0;
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

    /** A misspelt parameter would otherwise fail only when the rule first fires. */
    private static void checkParameterNames(String file, String text, List<Problem> problems) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PARAM_USE.matcher(lines[i]);
            while (m.find()) {
                String accessor = m.group(1);
                String key = m.group(2);
                if (key.endsWith(".")) {
                    // A name completed at run time ("repair.arrival." + urgency): some must start so.
                    boolean any = ParameterCatalog.all().keySet().stream().anyMatch(k -> k.startsWith(key));
                    if (!any) {
                        problems.add(new Problem(file, i + 1, "no parameter starts with " + key + " (see " + PARAMETERS + ")"));
                    }
                    continue;
                }
                ParameterCatalog.Type type = ParameterCatalog.type(key);
                if (type == null) {
                    problems.add(new Problem(file, i + 1, "no parameter named " + key + " (see " + PARAMETERS + ")"));
                } else if (!type.name().equalsIgnoreCase(accessor)) {
                    problems.add(new Problem(file, i + 1, "parameter " + key + " is a " + type.name().toLowerCase()
                            + ", read it with params." + type.name().toLowerCase() + "(...)"));
                }
            }
        }
    }

    private static List<Path> files(Path root, String suffix, List<Problem> problems) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(root.toString(), 0, "cannot list: " + e.getMessage()));
            return List.of();
        }
    }

    static String relative(Path root, Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** The version: SHA-256 over every file's path and content, first 12 hex digits. */
    private static String hash(Path root, List<Problem> problems, java.util.SortedMap<String, String> files) {
        try (Stream<Path> s = Files.walk(root)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.endsWith("~")) {
                    continue;
                }
                byte[] content = Files.readAllBytes(p);
                sha.update(relative(root, p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(content);
                sha.update((byte) 0);
                files.put(relative(root, p), new String(content, StandardCharsets.UTF_8));
            }
            byte[] h = sha.digest();
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", h[i]));
            }
            return hex.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            problems.add(new Problem(root.toString(), 0, "cannot hash: " + e.getMessage()));
            return "unknown";
        }
    }
}
