package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/patrols/daily.drl */
class PatrolDailyTest {

    private static Scenario buildingRegisteredMonday() {
        return new Scenario().given("""
                {"type":"building.registered","at":"2026-03-02T10:00:00+08:00","building":"B1","manager":"m1"}""");
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.3: a building not patrolled on a day is a violation at 24:00, with no event to trigger it")
    void unpatrolledDayIsAViolationAtMidnight() {
        Scenario s = buildingRegisteredMonday().clockAt("2026-03-03T23:59:00+08:00");
        assertTrue(s.findings("patrol.daily", "violation").isEmpty(), "the day is not over yet");
        s.clockAt("2026-03-04T00:00:00+08:00");
        List<Finding> v = s.findings("patrol.daily", "violation");
        assertEquals(1, v.size(), "registration day 03-02 is not a whole day; 03-03 is the first");
        assertEquals("B1@2026-03-03", v.get(0).subject());
        assertEquals(t("2026-03-04T00:00:00+08:00"), v.get(0).at());
        assertEquals(t("2026-03-04T00:00:00+08:00"), v.get(0).dueAt());
        assertEquals("supervisor", v.get(0).role());
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.3: a patrol of the building that day meets the duty; other days still count")
    void patrolMeetsTheDay() {
        Scenario s = buildingRegisteredMonday().given("""
                {"type":"patrol.completed","at":"2026-03-03T23:59:00+08:00","patrol":"P1","kind":"building",
                 "building":"B1","by":"m1"}""").clockAt("2026-03-05T00:00:00+08:00");
        List<Finding> v = s.findings("patrol.daily", "violation");
        assertEquals(1, v.size());
        assertEquals("B1@2026-03-04", v.get(0).subject());
    }

    @Test
    @DisplayName("A patrol of another building does not count")
    void otherBuildingDoesNotCount() {
        Scenario s = buildingRegisteredMonday().given("""
                {"type":"building.registered","at":"2026-03-02T10:00:00+08:00","building":"B2","manager":"m2"}""",
                """
                {"type":"patrol.completed","at":"2026-03-03T09:00:00+08:00","patrol":"P1","kind":"building",
                 "building":"B2","by":"m2"}""").clockAt("2026-03-04T00:00:00+08:00");
        List<Finding> v = s.findings("patrol.daily", "violation");
        assertEquals(1, v.size());
        assertEquals("B1@2026-03-03", v.get(0).subject());
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.3 \"每日一次\": a patrol started at 23:30 and completed at 00:20 is that day's patrol")
    void patrolPastMidnight() {
        Scenario s = buildingRegisteredMonday().given("""
                {"type":"patrol.completed","at":"2026-03-04T00:20:00+08:00","patrol":"P1","kind":"building",
                 "building":"B1","by":"m1","startedAt":"2026-03-03T23:30:00+08:00"}""").clockAt("2026-03-04T23:59:00+08:00");
        assertTrue(s.findings("patrol.daily", "violation").isEmpty(), s.findings().toString());
        s.clockAt("2026-03-05T00:00:00+08:00");
        assertEquals(List.of("B1@2026-03-04"), s.findings("patrol.daily", "violation").stream().map(Finding::subject).toList(),
                "the round of the night counted for 03-03, not 03-04");
        // without startedAt, a patrol completed at 00:20 is the new day's
        Scenario plain = buildingRegisteredMonday().given("""
                {"type":"patrol.completed","at":"2026-03-04T00:20:00+08:00","patrol":"P1","kind":"building",
                 "building":"B1","by":"m1"}""").clockAt("2026-03-05T00:00:00+08:00");
        assertEquals(List.of("B1@2026-03-03"), plain.findings("patrol.daily", "violation").stream().map(Finding::subject).toList());
    }

    @Test
    @DisplayName("BJ 楼管员巡查 三.3: live, a day is judged patrol.overnight-wait (4 h) after it ends, its violation stamped at 24:00")
    void liveDayWaitsForTheNightRound() {
        Scenario s = buildingRegisteredMonday().liveAt("2026-03-04T03:59:00+08:00");
        assertTrue(s.findings("patrol.daily", "violation").isEmpty(), "a round begun before midnight may still come in");
        s.liveAt("2026-03-04T04:00:00+08:00");
        Finding f = s.only("patrol.daily", "violation");
        assertEquals("B1@2026-03-03", f.subject());
        assertEquals(t("2026-03-04T00:00:00+08:00"), f.at());
        assertEquals(t("2026-03-04T00:00:00+08:00"), f.dueAt());
    }
}
