package pm.monitor.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.internal.builder.KnowledgeBuilderResult;

/**
 * Drools' compile errors as an analyst can act on them: at the line where the mistake is, in
 * plain words, without the parser's noise ({@code [ERR 102] Line 20:0}, "Parser returned a null
 * Package", {@code [Near : {... }]}). A structural mistake that the parser reports far from
 * where it is (a bracket left open before {@code then}, a missing {@code end}) is reported by
 * {@link DrlOutline} at its own line instead.
 */
final class DrlMessages {
    private DrlMessages() {
    }

    private static final Pattern PARSER = Pattern.compile("\\[ERR \\d+\\] Line (\\d+):(\\d+) (.*)", Pattern.DOTALL);
    private static final Pattern MISMATCHED = Pattern.compile("mismatched input '(.*?)'(?: expecting (.*?))?(?: in (rule|query) \"(.*)\")?");
    private static final Pattern NO_VIABLE = Pattern.compile("no viable alternative at input '(.*?)'(?: in (rule|query) \"(.*)\")?");
    private static final Pattern STRICT = Pattern.compile(
            "\\[Error: unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(\\)\\]");
    private static final Pattern UNRESOLVED = Pattern.compile("(\\S+) cannot be resolved(?: to a (?:variable|type))?");
    private static final Pattern UNDEFINED_METHOD = Pattern.compile("The method (\\w+)\\(.*?\\) is undefined for the type (\\w+)");
    private static final String NULL_PACKAGE = "Parser returned a null Package";

    static List<Problem> problems(List<KnowledgeBuilderResult> errors, Map<String, DrlOutline> outlines) {
        Map<String, List<KnowledgeBuilderResult>> byFile = new LinkedHashMap<>();
        for (KnowledgeBuilderResult r : errors) {
            String file = r.getResource() == null ? "?" : r.getResource().getSourcePath();
            byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(r);
        }
        List<Problem> out = new ArrayList<>();
        for (Map.Entry<String, List<KnowledgeBuilderResult>> e : byFile.entrySet()) {
            String file = e.getKey();
            DrlOutline outline = outlines.get(file);
            boolean parser = e.getValue().stream().anyMatch(r -> isParser(text(r)));
            if (parser && outline != null && !outline.problems().isEmpty()) {
                // the parser's messages are about where it lost its way; the outline says why
                out.addAll(outline.problems());
                e.getValue().stream().filter(r -> !isParser(text(r))).forEach(r -> out.add(plain(file, r, outline)));
                continue;
            }
            for (KnowledgeBuilderResult r : e.getValue()) {
                if (text(r).equals(NULL_PACKAGE) && e.getValue().size() > 1) {
                    continue; // the consequence of the errors listed with it
                }
                out.add(plain(file, r, outline));
            }
        }
        return out;
    }

    private static boolean isParser(String message) {
        return message.startsWith("[ERR ") || message.equals(NULL_PACKAGE);
    }

    private static String text(KnowledgeBuilderResult r) {
        return r.getMessage() == null ? "" : r.getMessage().trim().replaceAll("\\s+", " ");
    }

    private static Problem plain(String file, KnowledgeBuilderResult r, DrlOutline outline) {
        String m = text(r);
        int[] lines = r.getLines();
        int line = lines != null && lines.length > 0 ? lines[0] : 0;
        Matcher p = PARSER.matcher(m);
        if (p.matches()) {
            line = Integer.parseInt(p.group(1));
            return new Problem(file, line, parserText(p.group(3)));
        }
        if (m.equals(NULL_PACKAGE)) {
            return new Problem(file, line, "the file cannot be read as DRL (无法解析该 DRL 文件)");
        }
        Matcher s = STRICT.matcher(m);
        if (s.find()) {
            String type = simple(s.group(1));
            String near = m.startsWith("Unable to Analyse Expression ") ? m.substring("Unable to Analyse Expression ".length(),
                    Math.max("Unable to Analyse Expression ".length(), m.indexOf(": [Error"))) : null;
            return new Problem(file, line, type + " has no field " + s.group(2) + fields(s.group(1))
                    + (near == null ? "" : ", in: " + near) + " (" + type + " 没有字段 " + s.group(2) + ")");
        }
        m = m.replaceAll("\\[Near : \\{.*?\\}\\]", "").replaceAll("\\[Line: \\d+, Column: \\d+\\]", "")
                .replace(" ^ ", " ").replaceAll("\\s+", " ").trim();
        if (m.startsWith("Rule Compilation error")) {
            // Java errors of a consequence come at the rule's first line: find the word in the rule
            String rest = m.substring("Rule Compilation error".length()).trim();
            DrlOutline.Block b = outline == null ? null : outline.blockAt(line);
            String word = null;
            Matcher u = UNRESOLVED.matcher(rest);
            Matcher d = UNDEFINED_METHOD.matcher(rest);
            if (u.find()) {
                word = u.group(1);
                rest = u.group(1) + " is not defined (未定义：" + u.group(1) + ")";
            } else if (d.find()) {
                word = d.group(1);
                rest = d.group(2) + " has no method " + d.group(1) + "(...) (" + d.group(2) + " 没有方法 " + d.group(1) + ")";
            }
            if (b != null && word != null) {
                int at = outline.find(word, b.then() > 0 ? b.then() : b.line(), b.end());
                if (at > 0) {
                    line = at;
                }
            }
            return new Problem(file, line, (b == null ? "" : "in rule \"" + b.name() + "\": ") + rest);
        }
        return new Problem(file, line, m);
    }

    private static String parserText(String raw) {
        Matcher mm = MISMATCHED.matcher(raw.trim());
        if (mm.matches()) {
            String where = mm.group(4) == null ? "" : " in rule \"" + mm.group(4) + "\"";
            String expected = mm.group(2) == null ? "" : ", expected " + mm.group(2);
            return "unexpected '" + mm.group(1) + "'" + expected + where + hint(mm.group(1)) + " (语法错误：此处不应有 '"
                    + mm.group(1) + "')";
        }
        Matcher nv = NO_VIABLE.matcher(raw.trim());
        if (nv.matches()) {
            String where = nv.group(3) == null ? "" : " in rule \"" + nv.group(3) + "\"";
            return "cannot make sense of '" + nv.group(1) + "' here" + where + " (语法错误：无法识别 '" + nv.group(1) + "')";
        }
        return raw.trim();
    }

    private static String hint(String token) {
        return switch (token) {
            case "then", "end", "rule", "when" -> ": is something missing before it (a ')' or an 'end')?";
            default -> "";
        };
    }

    private static String simple(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        return s.substring(s.lastIndexOf('$') + 1);
    }

    /** The fields a fact type offers, for the message about one it lacks. */
    private static String fields(String className) {
        try {
            Class<?> c = Class.forName(className, false, DrlMessages.class.getClassLoader());
            List<String> names = new ArrayList<>();
            if (c.isRecord()) {
                for (var rc : c.getRecordComponents()) {
                    names.add(rc.getName());
                }
            } else {
                for (var m : c.getMethods()) {
                    String n = m.getName();
                    if (m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class
                            && (n.startsWith("get") || n.startsWith("is")) && n.length() > 3) {
                        String f = n.startsWith("get") ? n.substring(3) : n.substring(2);
                        names.add(Character.toLowerCase(f.charAt(0)) + f.substring(1));
                    }
                }
            }
            names.sort(null);
            return names.isEmpty() ? "" : " (its fields: " + String.join(", ", names) + ")";
        } catch (ClassNotFoundException | LinkageError e) {
            return "";
        }
    }
}
