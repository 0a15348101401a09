package pm.monitor.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * docs/clauses.md: the handbook clauses the rules cite, each with its rules, and for each rule
 * the handbook's sentences its comment quotes — so that a newcomer reads the clause behind a
 * finding without leaving the repository. Made from the rules folder's text (no compiling):
 * a rule's {@code @id}, {@code @clause} and {@code @notify}, and the {@code //} comment above it,
 * whose quoted Chinese is the handbook's. {@code clauses --out docs/clauses.md} writes it;
 * ClausesDocTest fails when the committed page is not what the rules give.
 */
public final class ClauseIndex {
    private ClauseIndex() {
    }

    /** One catalog id: its clauses, the role told, where its rules are, and the sentences quoted. */
    record Entry(String id, String clause, String role, Set<String> where, Set<String> quotes) {
    }

    private static final Pattern RULE = Pattern.compile("^rule \"([^\"]+)\"");
    private static final Pattern ANNOTATION = Pattern.compile("@(id|clause|notify)\\(\"([^\"]*)\"\\)");
    /** A quoted sentence with Chinese in it: the handbook's words (English quotes are ours). */
    private static final Pattern QUOTE = Pattern.compile("\"([^\"]*\\p{IsHan}[^\"]*)\"");
    private static final Pattern SOURCE = Pattern.compile("^\\| ([A-Z]+) \\| `([^`]+)` \\| (.+) \\|$");

    /** The page for the rules folder {@code dir}. */
    public static String markdown(Path dir) {
        Map<String, Entry> entries = entries(dir);
        Map<String, String> sources = sources(dir.resolve("HANDBOOK-RULES.md"));
        // clause → the ids that cite it, clauses in the order of the sources, then naturally
        Map<String, Set<String>> byClause = new TreeMap<>((a, b) -> compareClauses(a, b, sources));
        for (Entry e : entries.values()) {
            for (String c : split(e.clause(), sources.keySet())) {
                byClause.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(e.id());
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# 规则引用的手册条款 — the handbook clauses the rules cite\n\n");
        md.append("Generated from `rules/` by `java -jar engine/target/monitor.jar clauses --out docs/clauses.md`;\n")
                .append("do not edit by hand (ClausesDocTest fails when this page is not what the rules give).\n")
                .append("For every clause, the rules that enforce it; for every rule, the handbook's sentences its\n")
                .append("comment quotes (the rule files have the reading in full). The catalog is\n")
                .append("`rules/HANDBOOK-RULES.md`; the handbooks themselves are the project's `shared/seeds/`.\n\n")
                .append("由 `rules/` 生成，请勿手改。每个条款列出执行它的规则；每条规则列出其注释所引用的手册原文。\n\n");
        md.append("## Handbooks 手册\n\n| short | handbook |\n| --- | --- |\n");
        sources.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## By clause 按条款\n\n| clause 条款 | rules 规则 |\n| --- | --- |\n");
        byClause.forEach((clause, ids) -> {
            List<String> links = new ArrayList<>();
            ids.forEach(id -> links.add("[`" + id + "`](#" + anchor(id) + ")"));
            md.append("| ").append(clause).append(" | ").append(String.join(", ", links)).append(" |\n");
        });
        md.append("\n## By rule 按规则\n");
        for (Entry e : entries.values()) {
            md.append("\n### ").append(e.id()).append("\n\n");
            md.append(e.clause()).append(" · notify 通知 `").append(e.role()).append("` · ");
            List<String> files = new ArrayList<>();
            e.where().forEach(w -> files.add("`rules/" + w + "`"));
            md.append(String.join(", ", files)).append("\n");
            if (e.quotes().isEmpty()) {
                md.append("\n(no handbook sentence quoted: the rule's comment explains its reading)\n");
            }
            for (String q : e.quotes()) {
                md.append("\n> ").append(q).append("\n");
            }
        }
        return md.toString();
    }

    /** Every catalog id with its rules, in file order. */
    static Map<String, Entry> entries(Path dir) {
        Map<String, Entry> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            String name = dir.relativize(file).toString().replace('\\', '/');
            for (int i = 0; i < lines.size(); i++) {
                if (!RULE.matcher(lines.get(i)).find()) {
                    continue;
                }
                Map<String, String> a = new LinkedHashMap<>();
                for (int k = i + 1; k < lines.size() && !lines.get(k).strip().equals("when"); k++) {
                    Matcher m = ANNOTATION.matcher(lines.get(k));
                    while (m.find()) {
                        a.put(m.group(1), m.group(2));
                    }
                }
                if (!a.containsKey("id")) {
                    continue; // a helper rule: no finding of its own
                }
                StringBuilder comment = new StringBuilder();
                for (int k = i - 1; k >= 0 && lines.get(k).strip().startsWith("//"); k--) {
                    comment.insert(0, lines.get(k).strip().substring(2).strip() + "\n");
                }
                // a quotation may run over lines: join them (Chinese needs no space between)
                String text = comment.toString().replaceAll("(\\p{IsHan}|[，。、；：,;])\\n", "$1").replace('\n', ' ');
                Entry e = out.computeIfAbsent(a.get("id"), id -> new Entry(id, a.getOrDefault("clause", ""),
                        a.getOrDefault("notify", ""), new LinkedHashSet<>(), new LinkedHashSet<>()));
                e.where().add(name);
                Matcher q = QUOTE.matcher(text);
                while (q.find()) {
                    e.quotes().add(q.group(1).strip());
                }
            }
        }
        return out;
    }

    /** The Sources table of HANDBOOK-RULES.md: short name → what it is. */
    static Map<String, String> sources(Path catalog) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(catalog, StandardCharsets.UTF_8)) {
                Matcher m = SOURCE.matcher(line.strip());
                if (m.matches()) {
                    out.put(m.group(1), m.group(3));
                }
            }
        } catch (IOException e) {
            // no catalog: the clauses are listed without their handbooks' names
        }
        return out;
    }

    /**
     * {@code "CODE 4.1.4, 4.5.1; BJ 投诉规程 五.4"} → {@code CODE 4.1.4}, {@code CODE 4.5.1},
     * {@code BJ 投诉规程 五.4}: a part without a handbook takes the one before it.
     */
    static List<String> split(String clause, Set<String> handbooks) {
        List<String> out = new ArrayList<>();
        for (String group : clause.split(";")) {
            String prefix = null;
            for (String part : group.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                String first = p.split(" ")[0];
                if (handbooks.contains(first) || prefix == null) {
                    int last = p.lastIndexOf(' ');
                    prefix = last > 0 ? p.substring(0, last) : p;
                    out.add(p);
                } else {
                    out.add(prefix + " " + p);
                }
            }
        }
        return out;
    }

    private static int compareClauses(String a, String b, Map<String, String> sources) {
        List<String> order = new ArrayList<>(sources.keySet());
        int ia = order.indexOf(a.split(" ")[0]);
        int ib = order.indexOf(b.split(" ")[0]);
        if (ia != ib) {
            return Integer.compare(ia < 0 ? order.size() : ia, ib < 0 ? order.size() : ib);
        }
        return natural(a, b);
    }

    /** Numbers compared as numbers: CODE 4.4.2 before CODE 4.4.10. */
    private static int natural(String a, String b) {
        String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            if (Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0))) {
                c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** GitHub's heading anchor for a rule id: lower case, dots dropped. */
    static String anchor(String id) {
        return id.toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
