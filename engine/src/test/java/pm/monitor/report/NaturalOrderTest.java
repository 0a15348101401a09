package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    @DisplayName("tickets sort as people count: Q2 before Q10, C0001-2026-03-02-R9 before ...-R16")
    void numbersByValue() {
        List<String> ids = new ArrayList<>(List.of("Q10", "Q2", "Q1", "C0001-2026-03-02-R16", "C0001-2026-03-02-R9",
                "FD10", "FD9", "Q02"));
        ids.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("C0001-2026-03-02-R9", "C0001-2026-03-02-R16", "FD9", "FD10", "Q1", "Q02", "Q2", "Q10"), ids);
    }

    @Test
    @DisplayName("a total order: antisymmetric and transitive on random ids, equal only for equal text")
    void totalOrder() {
        Random r = new Random(23);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(6); k >= 0; k--) {
                b.append(r.nextBoolean() ? (char) ('A' + r.nextInt(3)) : (char) ('0' + r.nextInt(10)));
            }
            ids.add(b.toString());
        }
        for (String a : ids) {
            for (String b : ids) {
                int ab = Integer.signum(NaturalOrder.INSTANCE.compare(a, b));
                assertEquals(-ab, Integer.signum(NaturalOrder.INSTANCE.compare(b, a)), a + " " + b);
                assertTrue((ab == 0) == a.equals(b), a + " " + b);
            }
        }
        Collections.shuffle(ids, r);
        ids.sort(NaturalOrder.INSTANCE);
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(NaturalOrder.INSTANCE.compare(ids.get(i - 1), ids.get(i)) <= 0);
        }
    }
}
