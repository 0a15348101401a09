package pm.monitor.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * No English inside the Chinese page (issue 19, "Chinese all the way"): what a person reads is
 * Chinese, and what may stay Latin are ids and codes — alert ids, rule, KPI and event ids
 * ({@code complaint.contact-2h}), community, ticket, staff and call codes (anything with a
 * digit), clause references ({@code CODE 4.4.1}, {@code BJ}, {@code FD}, {@code SYS}, {@code VK}), rules
 * versions (hex), rule files and annotations, addresses, IANA zones, file formats, and the switch to English itself.
 */
public final class ChineseText {
    private static final List<Pattern> CODES = List.of(
            Pattern.compile("https?://\\S+"), // a receiver's address
            Pattern.compile("\\ba[0-9a-f]{20}\\b"), // alert ids
            Pattern.compile("@[a-z]+"), // a rule's annotations (@owner, @measures), named in the notes
            Pattern.compile("\\S+\\.(drl|json|conf|csv|xlsx)\\b"), // files
            Pattern.compile("\\b[a-z][a-z_]*(\\.[a-z0-9_-]+)+\\*?"), // rule, KPI and event ids
            Pattern.compile("[A-Za-z_-]*\\d[A-Za-z0-9_-]*"), // codes with a digit: C0001, T-12, 2026-W10, rules versions
            Pattern.compile("\\b(CODE|BJ|FD|SYS|VK|CSV|XLSX|English)\\b"),
            Pattern.compile("\\b(Asia|Europe|America|Africa|Australia|Pacific|Etc)/[A-Za-z_]+\\b"));
    private static final Pattern WORD = Pattern.compile("[A-Za-z]{2,}");

    private ChineseText() {
    }

    /** The Latin words of {@code text} that are no id or code; {@code allowed} are further ids (token names). */
    public static List<String> latinWords(String text, String... allowed) {
        String rest = text;
        for (String a : allowed) {
            rest = rest.replace(a, " ");
        }
        for (Pattern p : CODES) {
            rest = p.matcher(rest).replaceAll(" ");
        }
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(rest);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** Fails when the page's visible text has a Latin word that is no id or code. */
    public static void assertChineseOnly(Browser browser, String where, String... allowed) {
        String text = String.valueOf(browser.js("return document.body.innerText"));
        List<String> words = latinWords(text, allowed);
        Assertions.assertTrue(words.isEmpty(), where + " has English in the Chinese page: " + words + "\n" + text);
    }
}
