package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pm.monitor.support.Scenario.received;

import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Scenario;

/** What a steady stream leaves in an engine's memory. */
class BoundedStateTest {

    private static String complaint(String household) {
        return "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"" + household + "\",\"category\":\"service\"";
    }

    @Test
    @DisplayName("A complaint is held for repeats for complaint.repeat.window (30 d) and a day, then dropped; the repeat rule is unchanged")
    void householdsForgetComplaintsPastTheRepeatWindow() {
        Scenario s = new Scenario();
        // 60 days of one complaint a day, each from another household
        LocalDate day = LocalDate.of(2026, 3, 2);
        for (int i = 0; i < 60; i++) {
            s.given(received("T" + i, day.plusDays(i) + "T09:00:00+08:00", complaint("1-1-" + i)));
        }
        s.clockAt(day.plusDays(60) + "T00:00:00+08:00");
        // day 60 starts: complaints received before day 60 - 31 days (i < 29) are gone
        assertEquals(31, s.engine().tracker().households().size());
        assertEquals(0, s.engine().tracker().households().complaints("1-1-0").size());
        assertEquals(1, s.engine().tracker().households().complaints("1-1-59").size());

        // the repeat window still works across the cut: 29 days after T40, the same household again
        s.given(received("R1", day.plusDays(69) + "T08:00:00+08:00", complaint("1-1-40")));
        assertEquals(1, s.findings("complaint.repeat", "alert").size());
        // and more than 30 days after T30: no repeat, whether or not T30 was still held
        s.given(received("R2", day.plusDays(69) + "T08:00:00+08:00", complaint("1-1-30")));
        assertEquals(1, s.findings("complaint.repeat", "alert").size());
    }
}
