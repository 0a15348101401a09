package pm.monitor.http;

/** Event-bus addresses, in one place. */
public final class Addresses {
    private Addresses() {
    }

    /** A new finding (contract JSON), published once it is stored. */
    public static final String FINDINGS = "monitor.findings";
    /** A changed KPI value (contract JSON). */
    public static final String KPIS = "monitor.kpis";
    /** An alert message to a role's dashboard inbox, or an acknowledgement (JSON). */
    public static final String ALERTS = "monitor.alerts";
}
