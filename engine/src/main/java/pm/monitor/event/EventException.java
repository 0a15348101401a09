package pm.monitor.event;

/** A field of one event that breaks the contract: which field, and why in plain words. */
public final class EventException extends RuntimeException {
    private final String field;

    public EventException(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
