package pm.monitor.store;

import static pm.monitor.store.schema.Tables.KPIS;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;

/** Current KPI values, one row per KPI, community and period, overwritten as they change. */
public final class KpiStore {
    private final DSLContext dsl;

    public KpiStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public void upsert(List<Kpi> kpis) {
        if (kpis.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now();
        List<Kpi> live = kpis.stream().filter(k -> !empty(k)).toList();
        List<Kpi> emptied = kpis.stream().filter(KpiStore::empty).toList();
        dsl.transaction(c -> {
            var tx = DSL.using(c);
            for (int from = 0; from < live.size(); from += 2000) {
                upsert(tx, live.subList(from, Math.min(live.size(), from + 2000)), now);
            }
            for (Kpi k : emptied) {
                tx.deleteFrom(KPIS).where(KPIS.KPI.eq(k.kpi()).and(KPIS.COMMUNITY.eq(k.community()))
                        .and(KPIS.PERIOD.eq(k.period()))).execute();
            }
        });
    }

    /**
     * The stored values of one KPI and period (null: any), every community's: what the live board
     * asks for once it retired a period from memory. No breakdown is stored (the category counts
     * of kpi.complaints-by-category): a retired value comes back without it.
     */
    public List<Kpi> query(String kpi, String period) {
        Condition c = DSL.noCondition();
        if (kpi != null) {
            c = c.and(KPIS.KPI.eq(kpi));
        }
        if (period != null) {
            c = c.and(KPIS.PERIOD.eq(period));
        }
        return dsl.selectFrom(KPIS).where(c).fetch(r -> new Kpi(r.getKpi(), r.getCommunity(), r.getPeriod(), r.getValue(),
                r.getNumerator(), r.getDenominator(), r.getTarget(), r.getMet(), breakdown(r.getBreakdown())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> breakdown(JSONB json) {
        if (json == null) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        ((Map<String, Object>) Json.parse(json.data())).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    private static boolean empty(Kpi k) {
        return k.denominator() == 0 && (k.breakdown() == null || k.breakdown().values().stream().allMatch(v -> v == 0));
    }

    private static void upsert(DSLContext tx, List<Kpi> kpis, OffsetDateTime now) {
        {
            var q = tx.insertInto(KPIS, KPIS.KPI, KPIS.COMMUNITY, KPIS.PERIOD, KPIS.VALUE, KPIS.NUMERATOR,
                    KPIS.DENOMINATOR, KPIS.TARGET, KPIS.MET, KPIS.UPDATED_AT, KPIS.BREAKDOWN);
            for (Kpi k : kpis) {
                q = q.values(k.kpi(), k.community(), k.period(), k.value(), k.numerator(), k.denominator(),
                        k.target(), k.met(), now, k.breakdown() == null ? null : JSONB.valueOf(Json.write(k.breakdown())));
            }
            q.onConflict(KPIS.KPI, KPIS.COMMUNITY, KPIS.PERIOD).doUpdate()
                    .set(KPIS.VALUE, DSL.excluded(KPIS.VALUE))
                    .set(KPIS.NUMERATOR, DSL.excluded(KPIS.NUMERATOR))
                    .set(KPIS.DENOMINATOR, DSL.excluded(KPIS.DENOMINATOR))
                    .set(KPIS.TARGET, DSL.excluded(KPIS.TARGET))
                    .set(KPIS.MET, DSL.excluded(KPIS.MET))
                    .set(KPIS.UPDATED_AT, DSL.excluded(KPIS.UPDATED_AT))
                    .set(KPIS.BREAKDOWN, DSL.excluded(KPIS.BREAKDOWN))
                    .execute();
        }
    }
}
