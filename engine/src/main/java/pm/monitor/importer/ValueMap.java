package pm.monitor.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One section of a mapping file that turns a source's values into ours ({@code 房屋管理 = housing},
 * {@code General Request - * = inquiry}). Exported values differ in case and spacing from one
 * system version to the next ({@code "MUNI  -"} and {@code "MUNI -"} in one SF file), so both
 * sides are compared with runs of white space collapsed and case ignored. An exact key wins over
 * a pattern; patterns ({@code *} for any run of characters, {@code ?} for one) are tried in file
 * order, so a specific pattern written first wins over a broad one.
 */
final class ValueMap {
    private final Map<String, String> exact = new HashMap<>();
    private final List<Map.Entry<Pattern, String>> patterns = new ArrayList<>();

    void put(String key, String value) {
        String k = normalize(key);
        if (k.indexOf('*') >= 0 || k.indexOf('?') >= 0) {
            patterns.add(Map.entry(glob(k), value));
        } else {
            exact.putIfAbsent(k, value);
        }
    }

    boolean isEmpty() {
        return exact.isEmpty() && patterns.isEmpty();
    }

    /** Our value for {@code source}, or null when no key matches. */
    String get(String source) {
        // An export repeats a few hundred distinct values over millions of rows: each is matched once.
        String known = seen.get(source);
        if (known != null) {
            return known == NONE ? null : known;
        }
        String v = lookup(source);
        if (seen.size() < MAX_SEEN) {
            seen.put(source, v == null ? NONE : v);
        }
        return v;
    }

    private static final String NONE = new String("");
    private static final int MAX_SEEN = 100_000;
    private final Map<String, String> seen = new HashMap<>();

    private String lookup(String source) {
        String k = normalize(source);
        String v = exact.get(k);
        if (v != null) {
            return v;
        }
        for (Map.Entry<Pattern, String> p : patterns) {
            if (p.getKey().matcher(k).matches()) {
                return p.getValue();
            }
        }
        return null;
    }

    static String normalize(String s) {
        return collapse(s).toLowerCase(Locale.ROOT);
    }

    /** {@code s} trimmed, each run of white space inside it one space. */
    static String collapse(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A glob ({@code *}, {@code ?}) as a pattern over normalized text; everything else is literal. */
    static Pattern glob(String normalized) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : normalized.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
