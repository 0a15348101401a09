package pm.monitor.event;

/**
 * What a community code may be: {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,99}} — a letter or digit, then
 * up to 99 letters, digits, {@code _ . -} (README "Access"). Wide enough for every code in use
 * (the generator's {@code C0001}, the importer mappings' {@code BAL311}, {@code SF311}), narrow
 * enough that a code is never a list ({@code C001,C002}), the company ({@code *}), a path
 * segment ({@code ..}) or markup. {@code *} is not a code: it names every community where an
 * answer or a setting means so (the company's KPIs, a roster entry or silence for all).
 */
public final class CommunityCodes {
    /** Every community: the company's KPI row, a roster entry or silence for all communities. */
    public static final String ALL = "*";
    /** The events table's column (db/V1__events_and_findings.sql), as {@link EventReader#MAX_COMMUNITY}. */
    public static final int MAX = EventReader.MAX_COMMUNITY;
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";

    private CommunityCodes() {
    }

    /** Whether {@code code} is a community code (a loop, not a regex: every event is checked). */
    public static boolean valid(String code) {
        if (code == null || code.isEmpty() || code.length() > MAX || !alnum(code.charAt(0))) {
            return false;
        }
        for (int i = 1; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!alnum(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Why {@code code} is not a community code, in Chinese and English; null if it is one. */
    public static String problem(String code) {
        return valid(code) ? null : problemZh() + " / " + problemEn(code);
    }

    public static String problemZh() {
        return "社区代码只能由字母、数字和 _ . - 组成，以字母或数字开头，至多 " + MAX + " 个字符";
    }

    public static String problemEn(String code) {
        String shown = code == null ? "null" : code.length() > 40 ? code.substring(0, 40) + "…" : code;
        return "a community code is " + PATTERN + " (a letter or digit, then letters, digits, _ . -; at most "
                + MAX + " characters), not \"" + shown + "\"";
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
