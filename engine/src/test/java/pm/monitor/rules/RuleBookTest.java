package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.kpi.KpiIds;
import pm.monitor.support.Rules;

/** The rule book against the catalog: everything implemented, cited and tested. */
public class RuleBookTest {
    private static final Path CATALOG = Rules.dir().resolve("HANDBOOK-RULES.md");
    private static final Path SHARED = Path.of("..", "shared", "HANDBOOK-RULES.md");

    public static Set<String> catalogIds() throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z][a-z0-9.-]+)` \\|").matcher(Files.readString(CATALOG));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    @DisplayName("The project's copy of the catalog is the shared one")
    void catalogCopyIsCurrent() throws IOException {
        if (Files.exists(SHARED)) {
            assertEquals(Files.readString(SHARED), Files.readString(CATALOG),
                    "rules/HANDBOOK-RULES.md differs from ../shared/HANDBOOK-RULES.md: copy it again");
        }
        assertEquals(39, catalogIds().size(), "the catalog's ids: " + catalogIds());
    }

    @Test
    @DisplayName("Every catalog id is implemented: a DRL rule, or a KPI (with its alert rule when it has a target)")
    void everyIdImplemented() throws IOException {
        Set<String> drlIds = Rules.real().rules().stream().map(RuleInfo::id).collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = new ArrayList<>();
        for (String id : catalogIds()) {
            if (id.startsWith("kpi.")) {
                if (!KpiIds.ALL.contains(id) || (KpiIds.targetParameter(id) != null && !drlIds.contains(id))) {
                    missing.add(id);
                }
            } else if (!drlIds.contains(id)) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing);
        Set<String> beyond = new TreeSet<>(drlIds);
        beyond.removeAll(catalogIds());
        assertEquals(Set.of(), beyond, "rules beyond the catalog need a reason in a comment and a place here");
    }

    @Test
    @DisplayName("Every rule carries @id and @clause; every rule named by its id has a comment quoting the handbook above it")
    void everyRuleCitesItsClause() throws IOException {
        for (RuleInfo r : Rules.real().rules()) {
            assertNotNull(r.id(), r.name());
            assertNotNull(r.clause(), r.name());
            assertTrue(r.name().equals(r.id()) || r.name().startsWith(r.id() + ":"),
                    "rule name starts with its id: " + r.name());
        }
        List<Path> drls;
        try (Stream<Path> s = Files.walk(Rules.dir())) {
            drls = s.filter(p -> p.toString().endsWith(".drl")).toList();
        }
        Pattern rule = Pattern.compile("(?m)^rule \"([^\":]+)\"\\s*$");
        int checked = 0;
        for (Path drl : drls) {
            String text = Files.readString(drl);
            Matcher m = rule.matcher(text);
            while (m.find()) {
                String before = text.substring(0, m.start());
                String[] lines = before.split("\n");
                String previous = lines.length == 0 ? "" : lines[lines.length - 1].trim();
                assertTrue(previous.startsWith("//"), drl + ": rule \"" + m.group(1) + "\" has no comment above it");
                StringBuilder comment = new StringBuilder();
                for (int i = lines.length - 1; i >= 0 && lines[i].trim().startsWith("//"); i--) {
                    comment.insert(0, lines[i]);
                }
                assertTrue(comment.toString().matches("(?s).*[\\u4e00-\\u9fff].*"),
                        drl + ": the comment above \"" + m.group(1) + "\" should quote the handbook (Chinese)");
                checked++;
            }
        }
        assertTrue(checked >= 30, "checked " + checked + " rules");
    }

    @Test
    @DisplayName("Every catalog id is tested: it appears in a test")
    void everyIdTested() throws IOException {
        StringBuilder tests = new StringBuilder();
        try (Stream<Path> s = Files.walk(Path.of("engine", "src", "test", "java"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!p.getFileName().toString().equals("RuleBookTest.java")) {
                    tests.append(Files.readString(p));
                }
            }
        }
        List<String> untested = catalogIds().stream().filter(id -> !tests.toString().contains("\"" + id + "\""))
                .toList();
        assertEquals(List.of(), untested);
    }

    private static final Path SEEDS = Path.of("..", "shared", "seeds");

    /** Text compared without spaces and with full- and half-width punctuation made one. */
    private static String plain(String text) {
        return text.replaceAll("\\s+", "").replace('，', ',').replace('；', ';').replace('：', ':')
                .replace('（', '(').replace('）', ')').replace('、', ',').replace("。", "");
    }

    @Test
    @DisplayName("Every handbook sentence a rule's comment quotes is in the handbooks, word for word (where ../shared/seeds is at hand)")
    void quotesAreInTheHandbooks() throws IOException {
        if (!Files.isDirectory(SEEDS)) {
            return; // a clone without the shared folder: the quotes were checked where it was
        }
        StringBuilder seeds = new StringBuilder();
        try (Stream<Path> s = Files.list(SEEDS)) {
            for (Path p : s.sorted().toList()) {
                seeds.append(plain(Files.readString(p)));
            }
        }
        String all = seeds.toString();
        List<Path> drls;
        try (Stream<Path> s = Files.walk(Rules.dir())) {
            drls = s.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
        }
        // a quote: Chinese text between a pair of straight double quotes of one comment block (its
        // lines joined); "..." marks a cut
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path drl : drls) {
            List<String> blocks = new ArrayList<>();
            StringBuilder block = new StringBuilder();
            for (String line : Files.readAllLines(drl)) {
                String t = line.strip();
                if (t.startsWith("//")) {
                    block.append(t.substring(2).strip());
                } else if (block.length() > 0) {
                    blocks.add(block.toString());
                    block.setLength(0);
                }
            }
            for (String b : blocks) {
                String[] pieces = b.split("\"", -1);
                for (int i = 1; i < pieces.length; i += 2) { // the insides of the pairs
                    if (!pieces[i].matches("(?s).*[\\u4e00-\\u9fff].*")) {
                        continue;
                    }
                    for (String part : pieces[i].split("\\.\\.\\.|…")) {
                        String p = plain(part);
                        if (p.isEmpty()) {
                            continue;
                        }
                        checked++;
                        if (!all.contains(p)) {
                            missing.add(drl.getFileName() + ": " + part);
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 30, "quotes checked: " + checked);
        assertEquals(List.of(), missing);
    }

    // ---- the folder an analyst edits (issue 18) ----------------------------------------------

    /** Runs the CLI as an analyst would; returns exit code, stdout and stderr. */
    public static String[] cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = pm.monitor.cli.Main.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + needle);
    }

    @Test
    @DisplayName("validate runs every rule: a rule that fails when it fires (no @notify on a rule that emits) is refused with its file, line and name")
    void validateDryRunsTheRules(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Rules.copyWith(dir, java.util.Map.of());
        Path drl = dir.resolve("telephone/rings.drl");
        String text = Files.readString(drl);
        String header = "@id(\"call.three-rings\") @clause(\"SYS 电话接听规范 ①; SYS 奖惩细则 一.2\") @notify(\"supervisor\")";
        int line = lineOf(text, "rule \"call.three-rings\"");
        // the first rule's header only: the missed-call rule keeps its @notify
        Files.writeString(drl, text.replaceFirst(java.util.regex.Pattern.quote(header),
                java.util.regex.Matcher.quoteReplacement(header.replace(" @notify(\"supervisor\")", ""))));
        String[] r = cli("validate", "--rules", dir.toString());
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("telephone/rings.drl:" + line + ": rule \"call.three-rings\" fails in the dry run")
                && r[2].contains("has no @notify"), r[2]);
        // and replay, which loads the same way, refuses it before reading any event
        String[] replay = cli("replay", "--rules", dir.toString(), "--events", "rules/scenarios/week-c0001.events.ndjson",
                "--out", dir.resolve("out.ndjson").toString());
        assertEquals("1", replay[0], replay[2]);
        assertTrue(replay[2].contains("do not load") && replay[2].contains("call.three-rings"), replay[2]);
    }

    @Test
    @DisplayName("Only rules files are read: a .git folder, a spreadsheet and editor files change neither the version nor the stored files, with a note each")
    void onlyRulesFilesAreRead(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path clean = Rules.copyWith(dir.resolve("clean"), java.util.Map.of());
        Path messy = Rules.copyWith(dir.resolve("messy"), java.util.Map.of());
        byte[] binary = new byte[2048];
        new java.util.Random(7).nextBytes(binary);
        binary[10] = 0;
        Files.createDirectories(messy.resolve(".git/objects/ab"));
        Files.write(messy.resolve(".git/objects/ab/cdef"), binary);
        Files.writeString(messy.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.write(messy.resolve("limits.xlsx"), binary);
        Files.write(messy.resolve("complaints/notes.docx"), binary);
        Files.writeString(messy.resolve("telephone/.rings.drl.swp"), "swap");
        Files.writeString(messy.resolve("parameters.conf~"), "backup");
        Files.writeString(messy.resolve("calendar/cn/.#2026.json"), "lock");
        RuleSet a = RuleBook.load(clean, java.time.Clock.systemUTC());
        RuleSet b = RuleBook.load(messy, java.time.Clock.systemUTC());
        assertEquals(a.version(), b.version(), "the version is the rules', not the folder's other files'");
        assertEquals(a.files().keySet(), b.files().keySet());
        assertTrue(b.files().values().stream().noneMatch(s -> s.indexOf('\0') >= 0), "no NUL reaches the store");
        String[] r = cli("validate", "--rules", messy.toString());
        assertEquals("0", r[0], r[2]);
        for (String f : List.of(".git", "calendar/cn/.#2026.json", "complaints/notes.docx", "limits.xlsx",
                "parameters.conf~", "telephone/.rings.drl.swp")) {
            assertTrue(r[2].contains("note: " + messy.resolve(f).normalize() + ": ignored: "), f + " in " + r[2]);
        }
    }

    @Test
    @DisplayName("A rule file that is not UTF-8 text is an error, not text with NULs")
    void binaryRuleFileIsAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Rules.copyWith(dir, java.util.Map.of());
        Files.write(dir.resolve("telephone/extra.drl"), new byte[] {'r', 'u', 0, (byte) 0xff, 'l', 'e'});
        List<String> problems = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(List.of("telephone/extra.drl: not UTF-8 text: save it as UTF-8 (不是 UTF-8 文本，请以 UTF-8 保存)"), problems);
    }

    @Test
    @DisplayName("A missing @id or @clause names the line of its rule")
    void missingAnnotationsNameTheRuleLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Rules.copyWith(dir, java.util.Map.of());
        Path drl = dir.resolve("repairs/callback.drl");
        String text = Files.readString(drl);
        int line = lineOf(text, "rule \"repair.callback\"");
        Files.writeString(drl, text.replaceFirst(java.util.regex.Pattern.quote("@id(\"repair.callback\") @clause(\"BJ 报修规程 四.4\") @notify"),
                "@clause(\"BJ 报修规程 四.4\") @notify"));
        Path drl2 = dir.resolve("requests/time-limits.drl");
        String text2 = Files.readString(drl2);
        int line2 = lineOf(text2, "rule \"request.reply\"");
        Files.writeString(drl2, text2.replaceFirst(java.util.regex.Pattern.quote("@id(\"request.reply\") @clause(\"FD 三 ⑤–⑦; SYS 住户求助\") @notify"),
                "@id(\"request.reply\") @notify"));
        List<String> problems = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertTrue(problems.contains("repairs/callback.drl:" + line + ": rule \"repair.callback\" has no @id(...): give it its"
                + " catalog id, e.g. @id(\"complaint.contact-2h\") (规则缺少 @id)"), problems.toString());
        assertTrue(problems.contains("requests/time-limits.drl:" + line2 + ": rule \"request.reply\" has no @clause(...): name"
                + " the handbook clause it follows (规则缺少 @clause)"), problems.toString());
    }

    @Test
    @DisplayName("DRL syntax errors are reported at the line of the mistake, without the parser's noise")
    void syntaxErrorsAtTheirLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Rules.copyWith(dir, java.util.Map.of());
        Path drl = dir.resolve("telephone/rings.drl");
        String good = Files.readString(drl);
        String pattern = "$c : CallAnswered( rings > params.count(\"call.three-rings.max-rings\") )";

        // a bracket left open: the parser stops at 'then', a line later
        Files.writeString(drl, good.replace(pattern, pattern.substring(0, pattern.length() - 2)));
        List<String> open = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(List.of("telephone/rings.drl:" + lineOf(good, pattern) + ": '(' opened here is not closed before"
                + " 'then' (line " + (lineOf(good, pattern) + 1) + ") in rule \"call.three-rings\" (括号未闭合)"), open);

        // a missing 'end': the parser complains inside the next rule
        String end = "\"maxRings\", params.count(\"call.three-rings.max-rings\")));\nend\n";
        Files.writeString(drl, good.replace(end, end.replace("\nend\n", "\n")));
        List<String> noEnd = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(List.of("telephone/rings.drl:" + lineOf(good, "rule \"call.three-rings\"") + ": rule \"call.three-rings\""
                + " has no 'end' before the next rule at line " + (lineOf(good, "rule \"call.three-rings: a missed call\"") - 1)
                + " (规则缺少 end)"), noEnd);

        // a field the fact does not have: said so, with the fields it has
        Files.writeString(drl, good.replace(pattern, pattern.replace("rings >", "ringz >")));
        List<String> field = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(1, field.size(), field.toString());
        assertTrue(field.get(0).startsWith("telephone/rings.drl:" + lineOf(good, pattern) + ": CallAnswered has no field ringz"
                + " (its fields: at, call, community, extra, id, line, rings)"), field.toString());

        // a variable the consequence does not know: at its own line, not the rule's
        String use = "findings.violation(drools, $c.call(), details(\"line\"";
        Files.writeString(drl, good.replace(use, use.replace("$c.call()", "$x.call()")));
        List<String> var = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(List.of("telephone/rings.drl:" + lineOf(good, use) + ": in rule \"call.three-rings\": $x is not defined"
                + " (未定义：$x)"), var);
    }

    @Test
    @DisplayName("A calendar date of another year, or no date at all, is an error at its line")
    void calendarDatesAtTheirLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Rules.copyWith(dir, java.util.Map.of());
        Path file = dir.resolve("calendar/cn/2026.json");
        String good = Files.readString(file);
        String text = good.replace("\"date\": \"2026-10-01\"", "\"date\": \"2025-10-01\"")
                .replace("\"date\": \"2026-01-02\"", "\"date\": \"2026-02-30\"");
        Files.writeString(file, text);
        List<String> problems = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "calendar/cn/2026.json:" + lineOf(text, "2026-02-30") + ": bad date \"2026-02-30\": write it as YYYY-MM-DD,"
                        + " a day that exists (日期无效)",
                "calendar/cn/2026.json:" + lineOf(text, "2025-10-01") + ": 2025-10-01 is not in 2026 (the file is"
                        + " 2026.json): put it in 2025.json (日期不属于 2026 年)"), problems);
    }
}
