package pm.monitor.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.alert.ReportMail;
import pm.monitor.calendar.Times;
import pm.monitor.engine.Monitor;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.PeriodKeys;
import pm.monitor.store.ReportStore;
import pm.monitor.store.ScheduledReportStore;

/**
 * The monthly report (CODE 4.12.1) and a weekly one, made by themselves: when the events' clock
 * (the newest community clock, as the dashboard's "as of") has passed the end of a month or ISO
 * week in every community's time zone, that period's report is made once, kept for download
 * ({@code /api/dashboard/reports}) and e-mailed as XLSX to the roles its alert setting
 * {@code report.<kind>.roles} names. Only the latest ended period is made: a first start on a
 * year of history does not send twelve. A period that began before the first stored event is
 * covered in part, and its report says so (in the file, the subject and the list).
 */
public final class ReportSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedule.class);
    public static final List<String> KINDS = List.of("monthly", "weekly");

    private final Monitor monitor;
    private final KpiBoard board;
    private final ReportStore reports;
    private final ScheduledReportStore made;
    private final ReportMail mail;
    private final Clock wall;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Directory.Elsewhere elsewhere;

    /** @param elsewhere in a cluster, the communities run on other instances (the report covers them too); null on one node */
    public ReportSchedule(Monitor monitor, KpiBoard board, ReportStore reports, ScheduledReportStore made,
                          ReportMail mail, Clock wall, Directory.Elsewhere elsewhere) {
        this.elsewhere = elsewhere;
        this.monitor = monitor;
        this.board = board;
        this.reports = reports;
        this.made = made;
        this.mail = mail;
        this.wall = wall;
    }

    /** The latest period of a kind that has ended in every zone by {@code asOf}. */
    static String lastEnded(String kind, Instant asOf, ZoneId companyZone, List<ZoneId> zones) {
        LocalDate today = LocalDate.ofInstant(asOf, companyZone);
        for (int back = 1; back <= 3; back++) {
            String period;
            if (kind.equals("monthly")) {
                period = YearMonth.from(today).minusMonths(back).toString();
            } else {
                LocalDate d = today.minusWeeks(back);
                period = PeriodKeys.label(PeriodKeys.WEEK, d.get(IsoFields.WEEK_BASED_YEAR) * 100L
                        + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            }
            PeriodRange range = PeriodRange.of(period);
            boolean ended = true;
            for (ZoneId z : zones) {
                ended &= !range.to(z).isAfter(asOf);
            }
            if (ended) {
                return period;
            }
        }
        return null;
    }

    /** Makes and sends the reports due; returns "kind period" of each made. Safe to call often. */
    public List<String> tick() {
        if (!running.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Directory dir = Directory.load(monitor, reports, wall, elsewhere);
            List<String> out = new ArrayList<>();
            if (dir.asOf() == null || dir.communities().isEmpty()) {
                return out;
            }
            List<ZoneId> zones = dir.communities().stream().map(Directory.Community::zone).distinct().toList();
            for (String kind : KINDS) {
                String period = lastEnded(kind, dir.asOf(), dir.companyZone(), zones);
                if (period != null && !made.exists(kind, period) && make(kind, period, dir, zones)) {
                    out.add(kind + " " + period);
                }
            }
            return out;
        } finally {
            running.set(false);
        }
    }

    /** Makes, stores and sends one report; false when there is nothing to report on. */
    private boolean make(String kind, String period, Directory dir, List<ZoneId> zones) {
        PeriodRange range = PeriodRange.of(period);
        Instant start = null;
        for (ZoneId z : zones) {
            start = start == null || range.from(z).isBefore(start) ? range.from(z) : start;
        }
        Instant first = made.firstEvent();
        if (first == null || !first.isBefore(range.to(zones.get(0)))) {
            return false; // ended before any data: no report of nothing
        }
        boolean partial = first == null || first.isAfter(start);
        boolean weekly = kind.equals("weekly");
        List<String> notes = new ArrayList<>();
        if (partial) {
            String from = first == null ? "—" : Times.iso(first, dir.companyZone());
            notes.add("部分期间：数据自 " + from + " 起，本期开始时尚无数据。Partial period: the data begins at " + from
                    + ", after the period began.");
        }
        MonthlyReport report = MonthlyReport.build(period, dir, board, monitor.rules().parameters().forCommunity("*"),
                monitor.rules(), reports);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            report.writeXlsx(bytes, Labels.ZH, notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> to = mail.recipients(kind);
        if (!made.insert(kind, period, wall.instant(), partial, first, String.join(", ", to), bytes.toByteArray())) {
            return false; // made meanwhile by another tick
        }
        String name = (weekly ? "周报 weekly " : "月报 monthly ") + period + (partial ? " (部分期间 partial)" : "");
        String file = (weekly ? "weekly-report-" : "monthly-report-") + period + (partial ? "-partial" : "") + ".xlsx";
        String text = (weekly ? "本周" : "本月") + "统计报告见附件（各小区按其时区统计）。" + (partial ? notes.get(0) : "")
                + "\n" + (weekly ? "The week's" : "The month's") + " report is attached (each community in its own time zone).";
        String outcome = mail.send(to, "[物业客服品质监控] " + name, text, file, bytes.toByteArray()).join();
        made.sent(kind, period, outcome);
        LOG.info("scheduled report {} {} made{}: {}", kind, period, partial ? " (partial period)" : "", outcome);
        return true;
    }
}
