package pm.monitor.http;

import io.vertx.ext.web.Router;
import java.time.Clock;
import pm.monitor.engine.Monitor;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.store.EventStore;
import pm.monitor.store.ReportStore;
import pm.monitor.store.ScheduledReportStore;

/**
 * The dashboard's read models under {@code /api/dashboard/}: the KPI views ({@link KpiRoutes}),
 * the ticket views ({@link TicketRoutes}) and the reports ({@link ReportRoutes}), sharing one
 * {@link Reads} (the caller's communities, how answers go out). The live feed uses
 * {@code GET /api/findings} and {@code GET /api/stream} as they are.
 */
public final class DashboardRoutes implements ApiVerticle.Routes {
    private final KpiRoutes kpis;
    private final TicketRoutes tickets;
    private final ReportRoutes reports;

    /**
     * @param scheduled the reports the schedule made, or null where there is none
     * @param elsewhere in a cluster, the communities run on other instances; null on one node
     */
    public DashboardRoutes(Monitor monitor, KpiBoard board, EventStore events, ReportStore reports, Clock wall,
                           ScheduledReportStore scheduled, pm.monitor.report.Directory.Elsewhere elsewhere) {
        Reads reads = new Reads(monitor, reports, wall, elsewhere);
        this.kpis = new KpiRoutes(monitor, board, reads);
        this.tickets = new TicketRoutes(monitor, board, events, reports, reads);
        this.reports = new ReportRoutes(monitor, board, reports, scheduled, reads);
    }

    @Override
    public void mount(Router router) {
        kpis.mount(router);
        tickets.mount(router);
        reports.mount(router);
    }
}
