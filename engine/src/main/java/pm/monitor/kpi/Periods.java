package pm.monitor.kpi;

import java.time.LocalDate;
import java.time.temporal.IsoFields;

/** KPI period labels: {@code 2026-03-02} (day), {@code 2026-W10} (ISO week), {@code 2026-03} (month). */
public final class Periods {
    private Periods() {
    }

    public static String day(LocalDate d) {
        return d.toString();
    }

    public static String week(LocalDate d) {
        int w = d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        return d.get(IsoFields.WEEK_BASED_YEAR) + "-W" + (w < 10 ? "0" + w : String.valueOf(w));
    }

    public static String month(LocalDate d) {
        int m = d.getMonthValue();
        return d.getYear() + "-" + (m < 10 ? "0" + m : String.valueOf(m));
    }

    /** The periods that contain both days: the day, the ISO week and the month, where they are the same. */
    public static String[] containing(LocalDate a, LocalDate b) {
        if (a.equals(b)) {
            return new String[] {day(a), week(a), month(a)};
        }
        String wa = week(a);
        String ma = month(a);
        boolean sameWeek = wa.equals(week(b));
        boolean sameMonth = ma.equals(month(b));
        if (sameWeek && sameMonth) {
            return new String[] {wa, ma};
        }
        if (sameWeek) {
            return new String[] {wa};
        }
        return sameMonth ? new String[] {ma} : new String[0];
    }
}
