package pm.monitor.report;

import java.util.Comparator;

/**
 * Ids as people sort them: runs of digits by their value, so ticket Q2 comes before Q10 and staff
 * FD-9 before FD-10; the rest character by character. Ids equal by value ("Q02", "Q2") are then
 * ordered by their text, so that the order is total.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (si < a.length() && a.charAt(si) == '0') {
                    si++;
                }
                while (sj < b.length() && b.charAt(sj) == '0') {
                    sj++;
                }
                int ei = si;
                int ej = sj;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int len = (ei - si) - (ej - sj);
                if (len != 0) {
                    return len;
                }
                for (int k = 0; k < ei - si; k++) {
                    int c = a.charAt(si + k) - b.charAt(sj + k);
                    if (c != 0) {
                        return c;
                    }
                }
                i = ei;
                j = ej;
                continue;
            }
            if (x != y) {
                return x - y;
            }
            i++;
            j++;
        }
        int rest = (a.length() - i) - (b.length() - j);
        return rest != 0 ? rest : a.compareTo(b);
    }
}
