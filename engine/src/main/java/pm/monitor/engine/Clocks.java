package pm.monitor.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;

/**
 * Each community's clock as ingest sees it before an event is stored (README "Late and
 * out-of-order events"): how far ahead of it an event may be, and how far behind it an event
 * is still applied. Ingest decides both before the event is stored, so that the decision (a
 * refusal, or the late flag) is part of the same transaction as the event and survives a crash.
 *
 * <p>A community's clock is the newest event time of its own stored events, raised by the
 * service's present: the wall clock ({@code serve}), or the time {@code POST /api/clock} last
 * ran every community to ({@code serve --clock events}). No event of one community moves
 * another's clock.
 *
 * <p>Ahead. With the wall clock, an event more than {@code future} ahead of the wall clock is
 * refused: the sender's clock or time zone is wrong, and taken it would stamp findings in the
 * future and make the community's next real events late. With {@code --clock events} the wall
 * clock says nothing (the service may be back-filling any year, or a test or benchmark runs
 * event time faster than real time), so the reference is the community's own clock: an event
 * more than {@code maxAhead} ahead of it is refused as a wrong date, rather than jumping that
 * community's clock so that every real event after it would be flagged late. A community with
 * no event yet is measured against the newest clock of any community (a new community's first
 * event dated months ahead of all the others is as likely wrong); the very first event of an
 * empty service is taken. A real jump (a gap of more than {@code maxAhead} in a back-fill) is
 * made by running the clock there first ({@code POST /api/clock}), or with a larger setting.
 */
public final class Clocks {
    /** With the wall clock: how far ahead of it an event may be (the senders' clocks drift). */
    public static final Duration DEFAULT_FUTURE = Duration.ofMinutes(5);
    /** With the event clock: how far ahead of its community's clock an event may be. */
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofDays(30);

    private final Clock wall;
    private final Duration lateness;
    private final Duration future;
    private final Duration maxAhead;
    /** Event clock: the latest time {@code POST /api/clock} ran every community to (millis), or MIN_VALUE. */
    private volatile long ranTo = Long.MIN_VALUE;

    /**
     * @param wall     the wall clock that moves time, or null when events move it ({@code --clock events})
     * @param lateness how far behind its community's clock an event is still applied; later ones are flagged
     * @param future   wall clock: how far ahead of it an event may be
     * @param maxAhead event clock: how far ahead of its community's clock an event may be
     */
    public Clocks(Clock wall, Duration lateness, Duration future, Duration maxAhead) {
        if (lateness.isNegative() || future.isNegative() || maxAhead.isNegative()) {
            throw new IllegalArgumentException("lateness, future tolerance and max-ahead cannot be negative");
        }
        this.wall = wall;
        this.lateness = lateness;
        this.future = future;
        this.maxAhead = maxAhead;
    }

    /** {@code POST /api/clock} ran every community to {@code until}. */
    public void ranTo(Instant until) {
        long at = until.toEpochMilli();
        synchronized (this) {
            if (at > ranTo) {
                ranTo = at;
            }
        }
    }

    /**
     * The community's clock: its newest stored event time ({@code latest}, epoch millis, or
     * MIN_VALUE when it has none), raised by the service's present.
     */
    private long clock(long latest) {
        long present = wall != null ? wall.millis() : ranTo;
        return Math.max(latest, present);
    }

    /**
     * Why the event is too far ahead to be taken, or null. {@code latest}: its community's newest
     * event time; {@code newest}: the newest of any community (epoch millis, MIN_VALUE: none).
     */
    public EventException ahead(Event e, long latest, long newest) {
        long at = e.at().toEpochMilli();
        if (wall != null) {
            long now = wall.millis();
            if (at - now <= future.toMillis()) {
                return null;
            }
            Duration by = Duration.ofMillis(at - now);
            return new EventException("at", "事件时间在未来：比服务器时钟 " + Instant.ofEpochMilli(now) + " 晚 " + zh(by)
                    + "，超过允许的 " + zh(future) + "（--future-tolerance），请检查发送方的时钟和时区；未保存"
                    + " / at is " + en(by) + " ahead of the wall clock (" + Instant.ofEpochMilli(now) + "), more than the "
                    + en(future) + " allowed (--future-tolerance): check the sender's clock and time zone; not stored");
        }
        boolean own = latest != Long.MIN_VALUE;
        long reference = clock(own ? latest : newest);
        if (reference == Long.MIN_VALUE || at - reference <= maxAhead.toMillis()) {
            return null;
        }
        Duration by = Duration.ofMillis(at - reference);
        String whose = own ? "community " + e.community() + "'s clock" : "the newest clock of any community ("
                + e.community() + " has no event yet)";
        String whoseZh = own ? "社区 " + e.community() + " 的时钟" : "各社区中最新的时钟（社区 " + e.community() + " 尚无事件）";
        return new EventException("at", "事件时间比" + whoseZh + " " + Instant.ofEpochMilli(reference) + " 晚 " + zh(by)
                + "，超过允许的 " + zh(maxAhead) + "（--max-ahead），日期应有误；未保存。确需跳到该时间，请先 POST /api/clock"
                + " / at is " + en(by) + " ahead of " + whose + " (" + Instant.ofEpochMilli(reference) + "), more than the "
                + en(maxAhead) + " allowed (--max-ahead): a wrong date? Not stored; to move the clock that far, POST "
                + "/api/clock first");
    }

    /** A duration for a person, its two largest units: "73 天 9 小时", "5 分钟". */
    static String zh(Duration d) {
        return words(d, new String[] {"天", "小时", "分钟", "秒"}, false);
    }

    /** A duration for a person, its two largest units: "73 days 9 hours", "5 minutes". */
    static String en(Duration d) {
        return words(d, new String[] {"day", "hour", "minute", "second"}, true);
    }

    private static String words(Duration d, String[] units, boolean plural) {
        long[] parts = {d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != 0) {
                b.append(b.length() > 0 ? " " : "").append(parts[i]).append(' ').append(units[i])
                        .append(plural && parts[i] != 1 ? "s" : "");
                if (i + 1 < parts.length && parts[i + 1] != 0) {
                    b.append(' ').append(parts[i + 1]).append(' ').append(units[i + 1])
                            .append(plural && parts[i + 1] != 1 ? "s" : "");
                }
                break;
            }
        }
        return b.length() == 0 ? "0 " + units[3] + (plural ? "s" : "") : b.toString();
    }

    /**
     * How far behind its community's clock the event is, when that is more than the allowed
     * lateness (it is stored flagged, not applied); null when it is applied. {@code latest}: the
     * community's newest event time so far (this batch's earlier events included);
     * {@code fresh}: the community had no event before this batch. A fresh community's clock
     * starts with its first event, not at the service's present (its engine is made by that
     * event): a new community's history is taken in order, as it always was.
     */
    public Duration flagged(Event e, long latest, boolean fresh) {
        long clock = fresh ? latest : clock(latest);
        if (clock == Long.MIN_VALUE) {
            return null;
        }
        long by = clock - e.at().toEpochMilli();
        return by > lateness.toMillis() ? Duration.ofMillis(by) : null;
    }
}
