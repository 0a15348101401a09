package pm.monitor.calendar;

/** A working-day question the loaded calendar cannot answer, or a calendar file that is wrong. */
public final class CalendarException extends RuntimeException {
    public CalendarException(String message) {
        super(message);
    }
}
