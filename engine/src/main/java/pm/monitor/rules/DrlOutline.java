package pm.monitor.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outline of a DRL file as an analyst writes it — where each rule starts, where its
 * {@code when}, {@code then} and {@code end} are — and the structural mistakes that the Drools
 * parser reports far from where they are: a bracket not closed before {@code then}, a missing
 * {@code end} (the parser then complains about the next rule), a string not closed. Comments and
 * strings are skipped. Drools' own messages are kept for everything else; this only says where.
 */
public final class DrlOutline {
    /** One rule (or query): its name and the lines of its parts (0 when absent). */
    public record Block(String name, int line, int when, int then, int end) {
        /** Whether {@code line} is within this rule, from its {@code rule} line to its {@code end}. */
        public boolean contains(int at) {
            return at >= line && (end == 0 || at <= end);
        }
    }

    private final List<Block> blocks = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final String[] lines;

    private DrlOutline(String text) {
        this.lines = text.split("\n", -1);
    }

    public static DrlOutline of(String file, String text) {
        DrlOutline o = new DrlOutline(text);
        o.scan(file);
        return o;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** The structural mistakes found, each at the line where it is. */
    public List<Problem> problems() {
        return problems;
    }

    /** The line a rule starts on, by its name; 0 if unknown. */
    public int lineOf(String rule) {
        for (Block b : blocks) {
            if (b.name().equals(rule)) {
                return b.line();
            }
        }
        return 0;
    }

    /** The rule a line falls in, or null. */
    public Block blockAt(int line) {
        for (Block b : blocks) {
            if (b.contains(line)) {
                return b;
            }
        }
        return null;
    }

    /** The first line in {@code from..to} where {@code word} appears as a whole word (outside comments), or 0. */
    public int find(String word, int from, int to) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(?<![\\w$])" + java.util.regex.Pattern.quote(word)
                + "(?![\\w$])");
        for (int i = Math.max(1, from); i <= Math.min(lines.length, to <= 0 ? lines.length : to); i++) {
            String l = lines[i - 1];
            int c = l.indexOf("//");
            if (p.matcher(c >= 0 ? l.substring(0, c) : l).find()) {
                return i;
            }
        }
        return 0;
    }

    private enum State { TOP, HEAD, WHEN, THEN, DECLARE }

    private void scan(String file) {
        State state = State.TOP;
        String name = null;
        int ruleLine = 0;
        int whenLine = 0;
        int thenLine = 0;
        boolean inComment = false;
        boolean inTextBlock = false;
        // open brackets of the current part: the character and its line
        Deque<int[]> open = new ArrayDeque<>();
        int functionDepth = 0;
        for (int n = 1; n <= lines.length; n++) {
            String line = lines[n - 1];
            String first = inComment || inTextBlock ? "" : firstWord(line);
            boolean keyword = state != State.TOP || functionDepth == 0;
            if (keyword && (first.equals("rule") || first.equals("query"))) {
                if (state == State.HEAD || state == State.WHEN || state == State.THEN) {
                    problems.add(new Problem(file, ruleLine, "rule \"" + name + "\" has no 'end' before the next rule"
                            + " at line " + n + " (规则缺少 end)"));
                    blocks.add(new Block(name, ruleLine, whenLine, thenLine, n - 1));
                }
                name = ruleName(line.trim().substring(first.length()).trim());
                ruleLine = n;
                whenLine = 0;
                thenLine = 0;
                open.clear();
                state = first.equals("query") ? State.WHEN : State.HEAD;
            } else if (state == State.TOP && first.equals("declare")) {
                state = State.DECLARE;
            } else if ((state == State.HEAD || state == State.WHEN) && first.equals("when")) {
                whenLine = n;
                state = State.WHEN;
                open.clear();
            } else if ((state == State.HEAD || state == State.WHEN) && first.equals("then")) {
                if (!open.isEmpty()) {
                    int[] o = open.peekLast();
                    problems.add(new Problem(file, o[1], "'" + (char) o[0] + "' opened here is not closed before 'then'"
                            + " (line " + n + ") in rule \"" + name + "\" (括号未闭合)"));
                }
                thenLine = n;
                state = State.THEN;
                open.clear();
            } else if (state != State.TOP && first.equals("end") && isAlone(line, "end")) {
                if (state == State.HEAD || (state == State.WHEN && thenLine == 0 && !isQuery(ruleLine))) {
                    problems.add(new Problem(file, ruleLine, "rule \"" + name + "\" has no 'then' (规则缺少 then)"));
                } else if (!open.isEmpty()) {
                    int[] o = open.peekLast();
                    problems.add(new Problem(file, o[1], "'" + (char) o[0] + "' opened here is not closed before 'end'"
                            + " (line " + n + ") in rule \"" + name + "\" (括号未闭合)"));
                }
                if (state != State.DECLARE) {
                    blocks.add(new Block(name, ruleLine, whenLine, thenLine, n));
                }
                state = State.TOP;
                open.clear();
                continue;
            }
            // brackets and strings of the line
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (inComment) {
                    if (c == '*' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                        inComment = false;
                        i++;
                    }
                    continue;
                }
                if (inTextBlock) {
                    if (line.startsWith("\"\"\"", i)) {
                        inTextBlock = false;
                        i += 2;
                    }
                    continue;
                }
                if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                    break;
                }
                if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
                    inComment = true;
                    i++;
                    continue;
                }
                if (line.startsWith("\"\"\"", i)) {
                    inTextBlock = true;
                    i += 2;
                    continue;
                }
                if (c == '"' || (c == '\'' && state != State.THEN)) {
                    int close = closing(line, i, c);
                    if (close < 0) {
                        problems.add(new Problem(file, n, "a string opened here is not closed on this line"
                                + " (字符串未闭合)"));
                        break;
                    }
                    i = close;
                    continue;
                }
                if (c == '\'' ) { // a Java char literal in a consequence
                    int close = closing(line, i, c);
                    i = close < 0 ? line.length() : close;
                    continue;
                }
                if (state == State.TOP) {
                    if (c == '{') {
                        functionDepth++;
                    } else if (c == '}' && functionDepth > 0) {
                        functionDepth--;
                    }
                    continue;
                }
                if (state != State.WHEN && state != State.THEN) {
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') {
                    open.addLast(new int[] {c, n});
                } else if (c == ')' || c == ']' || c == '}') {
                    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (open.isEmpty() || open.peekLast()[0] != want) {
                        problems.add(new Problem(file, n, "'" + c + "' here closes nothing"
                                + (open.isEmpty() ? "" : " ('" + (char) open.peekLast()[0] + "' of line "
                                + open.peekLast()[1] + " is still open)") + " (括号不匹配)"));
                        open.clear();
                    } else {
                        open.removeLast();
                    }
                }
            }
        }
        if (state == State.HEAD || state == State.WHEN || state == State.THEN) {
            problems.add(new Problem(file, ruleLine, "rule \"" + name + "\" has no 'end' (规则缺少 end)"));
            blocks.add(new Block(name, ruleLine, whenLine, thenLine, 0));
        }
    }

    private boolean isQuery(int line) {
        return line > 0 && firstWord(lines[line - 1]).equals("query");
    }

    private static int closing(String line, int from, char quote) {
        for (int j = from + 1; j < line.length(); j++) {
            char d = line.charAt(j);
            if (d == '\\') {
                j++;
            } else if (d == quote) {
                return j;
            }
        }
        return -1;
    }

    private static String firstWord(String line) {
        String t = line.trim();
        int i = 0;
        while (i < t.length() && (Character.isLetter(t.charAt(i)))) {
            i++;
        }
        return t.substring(0, i);
    }

    /** {@code end} (or another keyword) alone on its line, but for a comment or a semicolon. */
    private static boolean isAlone(String line, String word) {
        String t = line.trim();
        int c = t.indexOf("//");
        if (c >= 0) {
            t = t.substring(0, c).trim();
        }
        return t.equals(word) || t.equals(word + ";");
    }

    private static String ruleName(String rest) {
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            return close < 0 ? rest.substring(1) : rest.substring(1, close);
        }
        int i = 0;
        while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
            i++;
        }
        return rest.substring(0, i);
    }

    /** Line numbers per rule name (the first of a name wins). */
    public Map<String, Integer> lines() {
        Map<String, Integer> m = new LinkedHashMap<>();
        blocks.forEach(b -> m.putIfAbsent(b.name(), b.line()));
        return m;
    }
}
