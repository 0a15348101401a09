package pm.monitor.alert;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a message template before it is saved, and says why it refuses one in Chinese and
 * English with the line: a tag left open, a section closed in the wrong place or never, a name
 * that is no variable where it stands (Mustache would print nothing for it, or fail at sending),
 * partials and changed delimiters (not offered), then a render of every sample notice, with and
 * without @-mentions, which must give text (one line for a subject or title).
 */
public final class TemplateCheck {
    private TemplateCheck() {
    }

    /** Longer than any message a group robot takes (about 4 KB) with room for the markup. */
    static final int MAX_CHARS = 8000;

    /** A refusal, in both languages. */
    public static final class Problem extends IllegalArgumentException {
        private final String zh;
        private final String en;

        Problem(String zh, String en) {
            super(zh + " / " + en);
            this.zh = zh;
            this.en = en;
        }

        public String zh() {
            return zh;
        }

        public String en() {
            return en;
        }
    }

    // {{name}}, {{{name}}}, {{&name}}, {{#name}}, {{^name}}, {{/name}}, {{! comment }}, {{>partial}}, {{=<% %>=}}
    private static final Pattern TAG = Pattern.compile("\\{\\{(\\{)?\\s*([#^/!>&=<$]?)(.*?)\\}\\}(\\})?", Pattern.DOTALL);

    private record Frame(String name, String list, int line) {
    }

    /** The part {@code key} names, or a refusal. */
    static MessageTemplates.Part part(String key) {
        return MessageTemplates.PARTS.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow(() -> new Problem(
                "没有“" + key + "”这一模板，可用：" + keys(), "no template \"" + key + "\"; templates: " + keys()));
    }

    private static String keys() {
        return String.join(", ", MessageTemplates.PARTS.stream().map(MessageTemplates.Part::key).toList());
    }

    /** Throws a {@link Problem} saying what is wrong with {@code source} as the template of {@code key}. */
    public static void check(String key, String source) {
        MessageTemplates.Part part = part(key);
        String zhPart = part.zh() + "：";
        String enPart = key + ": ";
        if (source == null || source.isBlank()) {
            throw new Problem(zhPart + "模板为空", enPart + "the template is empty");
        }
        if (source.length() > MAX_CHARS) {
            throw new Problem(zhPart + "模板过长（" + source.length() + " 字，最多 " + MAX_CHARS + "）",
                    enPart + "the template is too long (" + source.length() + " characters, at most " + MAX_CHARS + ")");
        }
        names(source, zhPart, enPart);
        Template t;
        try {
            t = MessageTemplates.COMPILER.compile(source);
        } catch (MustacheException e) {
            throw new Problem(zhPart + "语法错误：" + e.getMessage(), enPart + "syntax error: " + e.getMessage());
        }
        for (Notice n : SampleNotices.all()) {
            for (List<String> mobiles : List.of(List.<String>of(), SampleNotices.MOBILES)) {
                String out;
                try {
                    out = MessageTemplates.trim(t.execute(TemplateVariables.of(n, mobiles)));
                } catch (RuntimeException e) {
                    throw new Problem(zhPart + "用样例通知试渲染失败：" + e.getMessage(),
                            enPart + "rendering a sample notice failed: " + e.getMessage());
                }
                if (out.isBlank()) {
                    throw new Problem(zhPart + "用样例通知（" + n.type() + "）渲染结果为空",
                            enPart + "renders to nothing for a sample notice (" + n.type() + ")");
                }
                if (part.oneLine() && out.contains("\n")) {
                    throw new Problem(zhPart + "应为一行，渲染结果却有多行", enPart + "must be one line, but renders to several");
                }
            }
        }
    }

    /** Walks the tags with their lines: sections balanced, every name a variable where it stands. */
    private static void names(String source, String zhPart, String enPart) {
        Deque<Frame> open = new ArrayDeque<>();
        Matcher m = TAG.matcher(source);
        int from = 0;
        while (m.find()) {
            int line = line(source, m.start());
            unclosed(source, from, m.start(), zhPart, enPart);
            from = m.end();
            String sigil = m.group(2);
            String name = m.group(3).trim();
            if (m.group(1) != null) {
                name = name.endsWith("}") ? name.substring(0, name.length() - 1).trim() : name;
            }
            String at = "第 " + line + " 行：";
            String atEn = "line " + line + ": ";
            switch (sigil) {
                case "!" -> {
                }
                case "=" -> throw new Problem(zhPart + at + "不支持更改定界符（{{=…=}}）", enPart + atEn + "changing the delimiters ({{=…=}}) is not supported");
                case ">", "<", "$" -> throw new Problem(zhPart + at + "不支持引用其他模板（{{" + sigil + name + "}}）",
                        enPart + atEn + "partials and blocks ({{" + sigil + name + "}}) are not supported");
                case "/" -> {
                    Frame f = open.poll();
                    if (f == null) {
                        throw new Problem(zhPart + at + "{{/" + name + "}} 没有对应的 {{#" + name + "}}",
                                enPart + atEn + "{{/" + name + "}} closes no section");
                    }
                    if (!f.name().equals(name)) {
                        throw new Problem(zhPart + at + "{{/" + name + "}} 应为 {{/" + f.name() + "}}（第 " + f.line() + " 行打开）",
                                enPart + atEn + "{{/" + name + "}} where {{/" + f.name() + "}} was expected (opened on line " + f.line() + ")");
                    }
                }
                default -> {
                    known(name, open, at, atEn, zhPart, enPart);
                    if (sigil.equals("#") || sigil.equals("^")) {
                        boolean inFinding = open.stream().anyMatch(f -> "finding".equals(f.list()));
                        String list = inFinding && TemplateVariables.names(TemplateVariables.FINDING).contains(name) ? null
                                : TemplateVariables.listOf(name);
                        open.push(new Frame(name, sigil.equals("#") ? list : null, line));
                    }
                }
            }
        }
        unclosed(source, from, source.length(), zhPart, enPart);
        if (!open.isEmpty()) {
            Frame last = open.peek();
            throw new Problem(zhPart + "第 " + last.line() + " 行：{{#" + last.name() + "}} 没有关闭（缺少 {{/" + last.name() + "}}）",
                    enPart + "line " + last.line() + ": {{#" + last.name() + "}} is never closed (no {{/" + last.name() + "}})");
        }
    }

    /** A "{{" in text that no tag took: a tag left open. */
    private static void unclosed(String source, int from, int to, String zhPart, String enPart) {
        int i = source.indexOf("{{", from);
        if (i >= 0 && i < to) {
            int line = line(source, i);
            throw new Problem(zhPart + "第 " + line + " 行：“{{”没有对应的“}}”", enPart + "line " + line + ": \"{{\" is never closed by \"}}\"");
        }
    }

    private static void known(String name, Deque<Frame> open, String at, String atEn, String zhPart, String enPart) {
        boolean inSection = !open.isEmpty();
        boolean inFinding = open.stream().anyMatch(f -> "finding".equals(f.list()));
        if (inSection && TemplateVariables.IN_LIST.contains(name)) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        if (inFinding) {
            names.addAll(TemplateVariables.names(TemplateVariables.FINDING));
        }
        names.addAll(TemplateVariables.names(TemplateVariables.NOTICE));
        if (names.contains(name)) {
            return;
        }
        String known = String.join("、", names);
        String where = inFinding ? "在 {{#findings}} 之内" : "在此处";
        String whereEn = inFinding ? "inside {{#findings}}" : "here";
        if (!inFinding && TemplateVariables.names(TemplateVariables.FINDING).contains(name)) {
            where = "在 {{#findings}} 之外";
            whereEn = "outside {{#findings}}";
        }
        throw new Problem(zhPart + at + "未知变量“" + name + "”（" + where + "可用：" + known + "）",
                enPart + atEn + "unknown variable \"" + name + "\" (" + whereEn + ": " + String.join(", ", names) + ")");
    }

    private static int line(String s, int index) {
        int n = 1;
        for (int i = 0; i < index; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
