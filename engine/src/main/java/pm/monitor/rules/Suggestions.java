package pm.monitor.rules;

import java.util.Collection;

/** "Did you mean …?" for a misspelt name: the closest known one by edit distance, if close enough. */
final class Suggestions {
    private Suggestions() {
    }

    /** " (did you mean X?)" for the known name nearest to {@code name}, or "" if none is within {@code max} edits. */
    static String closest(String name, Collection<String> known, int max) {
        String best = null;
        int score = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name, k);
            if (d < score) {
                score = d;
                best = k;
            }
        }
        return best != null && score <= max ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
