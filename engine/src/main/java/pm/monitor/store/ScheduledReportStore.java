package pm.monitor.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;

/** The reports the schedule made (V67): kept for download, one per kind and period. */
public final class ScheduledReportStore {
    /** A stored report without its bytes. */
    public record Made(String kind, String period, Instant generatedAt, boolean partial, Instant dataFrom,
                       String recipients, String sent) {
    }

    private final DSLContext dsl;

    public ScheduledReportStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public boolean exists(String kind, String period) {
        return dsl.fetchExists(dsl.selectOne().from("scheduled_reports")
                .where("kind = ? AND period = ?", kind, period));
    }

    /** Stores a report; false when one of the kind and period is there already (made once). */
    public boolean insert(String kind, String period, Instant generatedAt, boolean partial, Instant dataFrom,
                          String recipients, byte[] xlsx) {
        return dsl.execute("INSERT INTO scheduled_reports (kind, period, generated_at, partial, data_from, recipients, xlsx) "
                        + "VALUES (?, ?, CAST(? AS TIMESTAMPTZ), ?, CAST(? AS TIMESTAMPTZ), ?, ?) ON CONFLICT DO NOTHING", kind, period,
                generatedAt.atOffset(ZoneOffset.UTC).toString(), partial,
                dataFrom == null ? null : dataFrom.atOffset(ZoneOffset.UTC).toString(), recipients, xlsx) == 1;
    }

    /** Records how the e-mail went ("sent to ...", or why it failed). */
    public void sent(String kind, String period, String outcome) {
        dsl.execute("UPDATE scheduled_reports SET sent = ? WHERE kind = ? AND period = ?", outcome, kind, period);
    }

    public List<Made> list() {
        return dsl.fetch("SELECT kind, period, generated_at, partial, data_from, recipients, sent FROM scheduled_reports "
                + "ORDER BY period DESC, kind").map(r -> new Made(r.get(0, String.class), r.get(1, String.class),
                r.get(2, OffsetDateTime.class).toInstant(), r.get(3, Boolean.class),
                r.get(4, OffsetDateTime.class) == null ? null : r.get(4, OffsetDateTime.class).toInstant(),
                r.get(5, String.class), r.get(6, String.class)));
    }

    public byte[] xlsx(String kind, String period) {
        return dsl.fetchOptional("SELECT xlsx FROM scheduled_reports WHERE kind = ? AND period = ?", kind, period)
                .map(r -> r.get(0, byte[].class)).orElse(null);
    }

    /** The time of the first stored event, or null: a period that began before it is covered only in part. */
    public Instant firstEvent() {
        OffsetDateTime t = dsl.fetchOne("SELECT min(at) FROM events").get(0, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
