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
}
