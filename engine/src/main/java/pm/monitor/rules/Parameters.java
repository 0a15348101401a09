package pm.monitor.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import pm.monitor.calendar.Limit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of {@code rules/parameters.conf}: every limit, window and target, with
 * per-community overrides in {@code [community CODE]} sections. The format:
 * <pre>
 * # a comment
 * complaint.contact-2h.limit : limit = 2h
 * [community C001]
 * complaint.contact-2h.limit = 90min
 * </pre>
 * Every parameter is declared in the top section with its type and a comment (see
 * {@link #load}); sections may override any declared one.
 */
public final class Parameters {
    /** {@code name = value}, or in the top section {@code name : type = value}. */
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*(?::\\s*([A-Za-z]+)\\s*)?=\\s*(.*?)\\s*");
    private static final Pattern SECTION = Pattern.compile("\\[\\s*community\\s+\"?([^\\]\"]+?)\"?\\s*]");

    private final Map<String, Object> base;
    private final Map<String, Map<String, Object>> overrides;
    private final Map<String, Params> views = new ConcurrentHashMap<>();
    /** The line of each {@code [community CODE]} section. */
    private final Map<String, Integer> sectionLines = new LinkedHashMap<>();

    private final Map<String, Declaration> declared;

    private Parameters(Map<String, Object> base, Map<String, Map<String, Object>> overrides,
                       Map<String, Declaration> declared) {
        this.base = base;
        this.overrides = overrides;
        this.declared = declared;
    }

    /** The declared parameters, in file order. */
    public Map<String, Declaration> declarations() {
        return declared;
    }

    /** The type of a parameter: declared, or bool for a rule's {@code .enabled} switch; null if none. */
    public ParameterCatalog.Type type(String key) {
        Declaration d = declared.get(key);
        return d != null ? d.type() : ParameterCatalog.isSwitch(key) ? ParameterCatalog.Type.BOOL : null;
    }

    /**
     * A section for a community not among {@code known} (a misspelt code overrides nothing and
     * would pass silently): a note at its line naming the known ones. Not an error — a section
     * may be written ahead of a community's first event.
     */
    public List<Problem> unknownCommunities(String name, java.util.Set<String> known) {
        List<Problem> notes = new java.util.ArrayList<>();
        for (Map.Entry<String, Integer> s : sectionLines.entrySet()) {
            String c = s.getKey();
            if (known.contains(c)) {
                continue;
            }
            String closest = null;
            int best = Integer.MAX_VALUE;
            for (String k : known) {
                int d = Suggestions.distance(c, k);
                if (d < best) {
                    best = d;
                    closest = k;
                }
            }
            java.util.List<String> list = new java.util.ArrayList<>(new java.util.TreeSet<>(known));
            String names = list.size() > 20 ? String.join(", ", list.subList(0, 20)) + ", … (" + list.size() + ")"
                    : String.join(", ", list);
            notes.add(new Problem(name, s.getValue(), "warning: [community " + c + "] names no known community"
                    + (closest != null && best <= 2 ? " (did you mean " + closest + "?)" : "")
                    + "; known: " + (list.isEmpty() ? "none yet" : names)
                    + " (警告：社区 " + c + " 未知，其设置不会生效，除非该社区之后出现)"));
        }
        return notes;
    }

    /** The values as one community sees them (its overrides over the defaults). */
    public Params forCommunity(String community) {
        return views.computeIfAbsent(community, c -> {
            Map<String, Object> values = new HashMap<>(base);
            values.putAll(overrides.getOrDefault(c, Map.of()));
            return new Params(values, this::type);
        });
    }

    public Map<String, Object> defaults() {
        return base;
    }

    public Map<String, Map<String, Object>> overrides() {
        return overrides;
    }

    /** One declared parameter: its type, the comment above it, and its line in the file. */
    public record Declaration(String name, ParameterCatalog.Type type, String comment, int line) {
    }

    /**
     * Reads the file; every problem is added with its line, none is thrown. In the top section a
     * parameter is declared with its type, under a comment saying what it is:
     * <pre>
     * # CODE 4.4.1: a valid complaint's handler contacts the owner within 2 hours
     * complaint.contact-2h.limit : limit = 2h
     * </pre>
     * Consecutive declarations share the comment block above the first. {@code [community CODE]}
     * sections give other values to declared parameters ({@code name = value}, no type), and
     * {@code <rule id>.enabled = true|false} switches a rule anywhere without a declaration.
     */
    public static Parameters load(Path file, String name, List<Problem> problems) {
        Map<String, Object> base = new LinkedHashMap<>();
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        Map<String, Declaration> declared = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(name, 0, "cannot read the parameters file: " + e.getMessage()));
            return new Parameters(base, overrides, declared);
        }
        Map<String, Object> section = base;
        String community = null;
        Map<String, Integer> sectionLines = new LinkedHashMap<>();
        StringBuilder comment = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i).trim();
            String line = stripComment(raw).trim();
            if (line.isEmpty()) {
                if (raw.startsWith("#")) {
                    String c = raw.replaceFirst("^#+\\s?", "").trim();
                    if (!c.isEmpty() && !c.startsWith("----")) {
                        comment.append(comment.length() == 0 ? "" : " ").append(c);
                    }
                } else {
                    comment.setLength(0);
                }
                continue;
            }
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                comment.setLength(0);
                community = s.group(1).trim();
                if (overrides.containsKey(community)) {
                    problems.add(new Problem(name, lineNo, "community " + community + " has two sections"));
                }
                section = overrides.computeIfAbsent(community, k -> new LinkedHashMap<>());
                sectionLines.putIfAbsent(community, lineNo);
                continue;
            }
            if (line.startsWith("[")) {
                problems.add(new Problem(name, lineNo, "unknown section " + line + " (only [community CODE] exists)"));
                continue;
            }
            Matcher e = ENTRY.matcher(line);
            if (!e.matches()) {
                problems.add(new Problem(name, lineNo, "expected name : type = value (or, in a community section,"
                        + " name = value), got \"" + line + "\""));
                continue;
            }
            String key = e.group(1);
            String typeWord = e.group(2);
            ParameterCatalog.Type type;
            if (typeWord != null) {
                type = ParameterCatalog.Type.named(typeWord);
                if (community != null) {
                    problems.add(new Problem(name, lineNo, key + ": a type is declared once, in the top section;"
                            + " a community section only gives a value (" + key + " = ...)"));
                    continue;
                }
                if (type == null) {
                    problems.add(new Problem(name, lineNo, key + ": no type " + typeWord
                            + " (limit, duration, count, percent or bool)"));
                    continue;
                }
                if (declared.containsKey(key)) {
                    problems.add(new Problem(name, lineNo, key + " is declared twice (first at line "
                            + declared.get(key).line() + ")"));
                    continue;
                }
                String trailing = raw.contains("#") ? raw.substring(raw.indexOf('#') + 1).trim() : "";
                String why = comment.length() > 0 ? comment.toString() : trailing;
                if (why.isEmpty()) {
                    problems.add(new Problem(name, lineNo, key + ": write a comment above the declaration saying"
                            + " what it is and where its number comes from (参数声明需要注释)"));
                }
                declared.put(key, new Declaration(key, type, why, lineNo));
            } else {
                type = ParameterCatalog.isSwitch(key) && !declared.containsKey(key) ? ParameterCatalog.Type.BOOL
                        : declared.containsKey(key) ? declared.get(key).type() : null;
                if (type == null) {
                    problems.add(new Problem(name, lineNo, community == null
                            ? key + ": declare its type, e.g. " + key + " : limit = 2h (limit, duration, count,"
                                    + " percent or bool), with a comment above it" + suggestion(key, declared.keySet())
                            : "no parameter named " + key + suggestion(key, declared.keySet())
                                    + " (declare it in the top section first)"));
                    continue;
                }
            }
            if (section.containsKey(key)) {
                problems.add(new Problem(name, lineNo, key + " is set twice"
                        + (community == null ? "" : " for community " + community)));
                continue;
            }
            try {
                section.put(key, parse(type, e.group(3)));
            } catch (IllegalArgumentException bad) {
                problems.add(new Problem(name, lineNo, key + ": " + bad.getMessage()));
            }
        }
        for (Map.Entry<String, ParameterCatalog.Type> engine : ParameterCatalog.engine().entrySet()) {
            Declaration d = declared.get(engine.getKey());
            if (d == null) {
                problems.add(new Problem(name, 0, "parameter " + engine.getKey() + " is read by the engine: declare it,"
                        + " e.g. " + engine.getKey() + " : " + engine.getValue().word() + " = ..."));
            } else if (d.type() != engine.getValue()) {
                problems.add(new Problem(name, d.line(), engine.getKey() + " is read by the engine as a "
                        + engine.getValue().word() + ", not a " + d.type().word()));
            }
        }
        Parameters loaded = new Parameters(base, overrides, declared);
        loaded.sectionLines.putAll(sectionLines);
        return loaded;
    }

    static Object parse(ParameterCatalog.Type type, String text) {
        String v = text.trim();
        try {
            switch (type) {
                case LIMIT:
                    return Limit.parse(v);
                case DURATION:
                    return Limit.parseDuration(v);
                case COUNT: {
                    int n = Integer.parseInt(v);
                    if (n < 1) {
                        throw new NumberFormatException();
                    }
                    return n;
                }
                case PERCENT: {
                    if (!v.endsWith("%")) {
                        throw new NumberFormatException();
                    }
                    double p = Double.parseDouble(v.substring(0, v.length() - 1).trim());
                    if (p < 0 || p > 100) {
                        throw new NumberFormatException();
                    }
                    return p / 100.0;
                }
                case BOOL: {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new NumberFormatException();
                    }
                    return Boolean.valueOf(v);
                }
                default:
                    throw new IllegalStateException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + type.expected + ", got \"" + v + "\"");
        } catch (IllegalArgumentException e) {
            if (type == ParameterCatalog.Type.LIMIT || type == ParameterCatalog.Type.DURATION) {
                throw new IllegalArgumentException(e.getMessage().startsWith("expected")
                        ? "expected " + type.expected + ", got \"" + v + "\"" : e.getMessage());
            }
            throw e;
        }
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    static String suggestion(String key, java.util.Collection<String> names) {
        return Suggestions.closest(key, names, 4);
    }

    static Duration asDuration(Object v) {
        return (Duration) v;
    }
}
