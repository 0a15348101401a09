package pm.monitor.store;

import static pm.monitor.store.schema.Tables.DELIVERIES;
import static pm.monitor.store.schema.Tables.DELIVERY_ATTEMPTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import pm.monitor.store.schema.tables.records.DeliveriesRecord;

/**
 * The alert outbox: one row per message and destination, and every attempt to deliver it
 * (tables {@code deliveries}, {@code delivery_attempts}). Times are wall-clock.
 */
public final class DeliveryStore {
    private final DSLContext dsl;

    public DeliveryStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A message to send: {@code payload} is the channel's own body, rendered once so every retry sends the same bytes. */
    public record NewDelivery(String alertId, int escalation, String role, String channel, String address,
                              Long rosterId, String key, String payload, String part) {
        /** A message of an alert's notice or escalation (not an addendum). */
        public NewDelivery(String alertId, int escalation, String role, String channel, String address,
                           Long rosterId, String key, String payload) {
            this(alertId, escalation, role, channel, address, rosterId, key, payload, "");
        }
    }

    public record Delivery(long id, String alertId, int escalation, String role, String channel, String address,
                           Long rosterId, String key, String payload, String status, int attempts,
                           Instant nextAttemptAt, String lastError, Instant deliveredAt, Instant createdAt) {
    }

    public record Attempt(long deliveryId, int attempt, Instant startedAt, int millis, boolean ok, Integer statusCode,
                          String error) {
    }

    /** Queues messages; one already queued for the same alert, step and destination is left as it is. */
    public int insert(List<NewDelivery> deliveries, Instant now) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        var q = dsl.insertInto(DELIVERIES, DELIVERIES.ALERT_ID, DELIVERIES.ESCALATION, DELIVERIES.ROLE,
                DELIVERIES.CHANNEL, DELIVERIES.ADDRESS, DELIVERIES.ROSTER_ID, DELIVERIES.IDEMPOTENCY_KEY,
                DELIVERIES.PAYLOAD, DELIVERIES.STATUS, DELIVERIES.NEXT_ATTEMPT_AT, DELIVERIES.PART);
        for (NewDelivery d : deliveries) {
            q = q.values(d.alertId(), d.escalation(), d.role(), d.channel(), d.address(), d.rosterId(), d.key(),
                    d.payload(), "pending", odt(now), d.part());
        }
        return q.onConflictDoNothing().execute();
    }

    /** A destination an alert's messages went to (a role's inbox or a roster destination). */
    public record Told(String role, String channel, String address) {
    }

    /**
     * Where the messages of an alert's firing went (its notice, escalations and addenda; not a
     * resolved notice): who is told when it resolves. The firing's deliveries are those whose part
     * starts with {@code prefix} ({@code ""} for the first firing, whose parts have no {@code /}).
     */
    public List<Told> told(String alertId, String prefix, String resolvedPart) {
        Condition firing = prefix.isEmpty() ? DELIVERIES.PART.notLike("%/%") : DELIVERIES.PART.startsWith(prefix);
        return dsl.selectDistinct(DELIVERIES.ROLE, DELIVERIES.CHANNEL, DELIVERIES.ADDRESS).from(DELIVERIES)
                .where(DELIVERIES.ALERT_ID.eq(alertId), firing, DELIVERIES.PART.ne(resolvedPart))
                .orderBy(DELIVERIES.ROLE, DELIVERIES.CHANNEL, DELIVERIES.ADDRESS)
                .fetch(r -> new Told(r.value1(), r.value2(), r.value3()));
    }

    /** Pending deliveries whose next attempt is due, oldest first, leaving out the busy ones. */
    public List<Delivery> due(Instant now, Set<Long> busy, int limit) {
        Condition c = DELIVERIES.STATUS.eq("pending").and(DELIVERIES.NEXT_ATTEMPT_AT.le(odt(now)));
        if (!busy.isEmpty()) {
            c = c.and(DELIVERIES.ID.notIn(busy));
        }
        return dsl.selectFrom(DELIVERIES).where(c).orderBy(DELIVERIES.NEXT_ATTEMPT_AT, DELIVERIES.ID).limit(limit)
                .fetch(DeliveryStore::delivery);
    }

    /** Records an attempt and its outcome in one transaction. */
    public void attempted(Attempt a, String status, Instant nextAttemptAt) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            tx.insertInto(DELIVERY_ATTEMPTS, DELIVERY_ATTEMPTS.DELIVERY_ID, DELIVERY_ATTEMPTS.ATTEMPT,
                            DELIVERY_ATTEMPTS.STARTED_AT, DELIVERY_ATTEMPTS.MILLIS, DELIVERY_ATTEMPTS.OK,
                            DELIVERY_ATTEMPTS.STATUS_CODE, DELIVERY_ATTEMPTS.ERROR)
                    .values(a.deliveryId(), a.attempt(), odt(a.startedAt()), a.millis(), a.ok(), a.statusCode(),
                            clip(a.error()))
                    .execute();
            var u = tx.update(DELIVERIES).set(DELIVERIES.STATUS, status).set(DELIVERIES.ATTEMPTS, a.attempt())
                    .set(DELIVERIES.NEXT_ATTEMPT_AT, odt(nextAttemptAt))
                    .set(DELIVERIES.LAST_ERROR, a.ok() ? null : clip(a.error()));
            if (a.ok()) {
                u = u.set(DELIVERIES.DELIVERED_AT, odt(a.startedAt().plusMillis(a.millis())));
            }
            u.where(DELIVERIES.ID.eq(a.deliveryId())).execute();
        });
    }

    /** Filters of {@code GET /api/deliveries}; null means any. */
    public record Filter(String alertId, String status, String channel, String role) {
        Condition condition() {
            Condition c = DSL.trueCondition();
            if (alertId != null) {
                c = c.and(DELIVERIES.ALERT_ID.eq(alertId));
            }
            if (status != null) {
                c = c.and(DELIVERIES.STATUS.eq(status));
            }
            if (channel != null) {
                c = c.and(DELIVERIES.CHANNEL.eq(channel));
            }
            if (role != null) {
                c = c.and(DELIVERIES.ROLE.eq(role));
            }
            return c;
        }
    }

    /** Newest first. */
    public List<Delivery> query(Filter f, int limit, int offset) {
        return dsl.selectFrom(DELIVERIES).where(f.condition()).orderBy(DELIVERIES.ID.desc()).limit(limit)
                .offset(offset).fetch(DeliveryStore::delivery);
    }

    public int count(Filter f) {
        return dsl.fetchCount(DELIVERIES, f.condition());
    }

    public Delivery get(long id) {
        DeliveriesRecord r = dsl.selectFrom(DELIVERIES).where(DELIVERIES.ID.eq(id)).fetchOne();
        return r == null ? null : delivery(r);
    }

    public List<Attempt> attempts(long deliveryId) {
        return dsl.selectFrom(DELIVERY_ATTEMPTS).where(DELIVERY_ATTEMPTS.DELIVERY_ID.eq(deliveryId))
                .orderBy(DELIVERY_ATTEMPTS.ATTEMPT, DELIVERY_ATTEMPTS.ID)
                .fetch(r -> new Attempt(r.getDeliveryId(), r.getAttempt(), r.getStartedAt().toInstant(), r.getMillis(),
                        r.getOk(), r.getStatusCode(), r.getError()));
    }

    /** When the next pending delivery is due (null: none pending). */
    public Instant nextDue() {
        OffsetDateTime t = dsl.select(DSL.min(DELIVERIES.NEXT_ATTEMPT_AT)).from(DELIVERIES)
                .where(DELIVERIES.STATUS.eq("pending")).fetchOne(0, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String clip(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private static OffsetDateTime odt(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Delivery delivery(DeliveriesRecord r) {
        return new Delivery(r.getId(), r.getAlertId(), r.getEscalation(), r.getRole(), r.getChannel(), r.getAddress(),
                r.getRosterId(), r.getIdempotencyKey(), r.getPayload(), r.getStatus(), r.getAttempts(),
                r.getNextAttemptAt().toInstant(), r.getLastError(),
                r.getDeliveredAt() == null ? null : r.getDeliveredAt().toInstant(), r.getCreatedAt().toInstant());
    }
}
