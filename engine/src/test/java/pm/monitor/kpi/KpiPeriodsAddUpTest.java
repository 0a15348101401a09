package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.finding.Kpi;
import pm.monitor.support.Rules;

/**
 * Every item a KPI judges counts once at each granularity, in the day, week and month of one
 * instant (README "KPIs"): so for every KPI and community the days of a week add up to the week,
 * and the days of a month to the month, numerators and denominators alike. A property of whole
 * generated streams of several months, not of hand-picked cases: a ticket whose deadlines
 * straddle a boundary (received 03-31, due 04-02) is the case that broke it.
 */
class KpiPeriodsAddUpTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 23})
    @DisplayName("for every KPI and community, day values add up to their week's and their month's")
    void daysAddUpToWeeksAndMonths(long seed) throws Exception {
        StringWriter w = new StringWriter();
        new Generator(4, 100, LocalDate.of(2026, 1, 19), seed, 15, 3).write(w);
        List<Replay.Input> inputs = Replay.read(new BufferedReader(new StringReader(w.toString())), 1).inputs();
        Instant until = inputs.stream().map(i -> i.event().at()).max(Comparator.naturalOrder()).orElseThrow();
        List<Kpi> kpis = new Replay(Rules.real(), 1).run(inputs, until, null).kpis();

        // kpi|community|period → {numerator, denominator}
        Map<String, long[]> values = new TreeMap<>();
        for (Kpi k : kpis) {
            values.put(k.kpi() + "|" + k.community() + "|" + k.period(), new long[] {k.numerator(), k.denominator()});
        }
        Map<String, long[]> summed = new TreeMap<>();
        for (Kpi k : kpis) {
            if (k.period().length() != 10) {
                continue; // a day is YYYY-MM-DD
            }
            LocalDate day = LocalDate.parse(k.period());
            String week = String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            String month = k.period().substring(0, 7);
            for (String period : List.of(week, month)) {
                long[] s = summed.computeIfAbsent(k.kpi() + "|" + k.community() + "|" + period, x -> new long[2]);
                s[0] += k.numerator();
                s[1] += k.denominator();
            }
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, long[]> e : values.entrySet()) {
            String period = e.getKey().substring(e.getKey().lastIndexOf('|') + 1);
            if (period.length() == 10) {
                continue;
            }
            long[] days = summed.getOrDefault(e.getKey(), new long[2]);
            checked++;
            if (days[0] != e.getValue()[0] || days[1] != e.getValue()[1]) {
                wrong.add(e.getKey() + ": " + e.getValue()[0] + "/" + e.getValue()[1] + ", its days " + days[0] + "/" + days[1]);
            }
        }
        for (String key : summed.keySet()) {
            if (!values.containsKey(key) && summed.get(key)[1] != 0) {
                wrong.add(key + ": no value, its days " + summed.get(key)[0] + "/" + summed.get(key)[1]);
            }
        }
        assertTrue(checked > 500, "weeks and months checked: " + checked);
        assertEquals(List.of(), wrong);
    }
}
