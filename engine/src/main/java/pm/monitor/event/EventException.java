package pm.monitor.event;

/** A field of one event that breaks the contract: which field, and why in plain words. */
public final class EventException extends RuntimeException {
    private final String field;
    private String id;

    public EventException(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The event's id when the line's reader had read it before this error, else null. */
    public String id() {
        return id;
    }

    /** Names the event: a value refused while its object is read, after its id (best effort). */
    EventException withId(String id) {
        this.id = id;
        return this;
    }

    public String reason() {
        return getMessage();
    }
}
