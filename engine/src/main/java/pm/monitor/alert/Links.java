package pm.monitor.alert;

import java.util.function.Supplier;

/** The addresses the links in messages point to: an alert's page, a role's inbox. */
final class Links {
    private final Supplier<AlertParameters> params;
    private volatile String fallback = "http://localhost:8080";

    Links(Supplier<AlertParameters> params) {
        this.params = params;
    }

    /**
     * Where the links in messages point when the setting {@code public.url} is empty: serve's
     * {@code --public-url}, or its own localhost address (start-up warns about that).
     */
    void fallback(String base) {
        this.fallback = base;
    }

    /** The address the links in messages start with now. */
    String base() {
        String set = params.get().get("public.url");
        return set == null || set.isEmpty() ? fallback : set;
    }

    String inbox() {
        return trimmed() + "/index.html#/alerts?mine=true";
    }

    String alert(String alertId) {
        return trimmed() + "/alerts.html#" + alertId;
    }

    private String trimmed() {
        String base = base();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
