package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/telephone/rings.drl */
class TelephoneTest {

    @Test
    @DisplayName("SYS 电话接听规范 ①: answered on the third ring is in time, on the fourth it is a violation with the call")
    void threeRingsAndNoMore() {
        Scenario s = new Scenario().given("""
                {"type":"call.answered","at":"2026-03-02T09:00:00+08:00","call":"K1","line":"400","rings":3}""");
        assertTrue(s.findings("call.three-rings").isEmpty());
        s.given("""
                {"type":"call.answered","at":"2026-03-02T09:05:00+08:00","call":"K2","line":"400","rings":4}""");
        List<Finding> v = s.findings("call.three-rings", "violation");
        assertEquals(1, v.size());
        assertEquals("K2", v.get(0).subject());
        assertEquals(t("2026-03-02T09:05:00+08:00"), v.get(0).at());
        assertEquals(null, v.get(0).dueAt());
        assertEquals("supervisor", v.get(0).role());
        assertEquals(4, v.get(0).details().get("rings"));
    }

    @Test
    @DisplayName("SYS 奖惩细则 一.2: a missed call is a breach")
    void missedCall() {
        Scenario s = new Scenario().given("""
                {"type":"call.missed","at":"2026-03-02T09:00:00+08:00","call":"K9","line":"400"}""");
        List<Finding> v = s.findings("call.three-rings", "violation");
        assertEquals(1, v.size());
        assertEquals("K9", v.get(0).subject());
    }

    @Test
    @DisplayName("SYS 奖惩细则 一.2 \"响声超过三次不接听\": a caller who hung up within three rings is no breach; after four, or not known, it is")
    void missedCallRings() {
        Scenario s = new Scenario().given("""
                {"type":"call.missed","at":"2026-03-02T09:00:00+08:00","call":"K1","line":"400","rings":2}""", """
                {"type":"call.missed","at":"2026-03-02T09:01:00+08:00","call":"K2","line":"400","rings":3}""");
        assertTrue(s.findings("call.three-rings").isEmpty(), s.findings().toString());
        s.given("""
                {"type":"call.missed","at":"2026-03-02T09:02:00+08:00","call":"K3","line":"400","rings":4}""", """
                {"type":"call.missed","at":"2026-03-02T09:03:00+08:00","call":"K4","line":"400"}""");
        List<Finding> v = s.findings("call.three-rings", "violation");
        assertEquals(List.of("K3", "K4"), v.stream().map(Finding::subject).toList());
        assertEquals(t("2026-03-02T09:02:00+08:00"), v.get(0).at());
        assertEquals(4, v.get(0).details().get("rings"));
        assertEquals(false, v.get(1).details().containsKey("rings"), "not known: not made up");
        // the calls KPI: the two abandoned within the rings are not calls the line failed
        pm.monitor.finding.Kpi day = s.engine().kpis().snapshot().stream()
                .filter(k -> k.kpi().equals("kpi.calls") && k.period().equals("2026-03-02")).findFirst().orElseThrow();
        assertEquals(0, day.numerator());
        assertEquals(2, day.denominator());
    }
}
