package pm.monitor.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer's body with its reason in Chinese and English: {@code error} holds both (what
 * the dashboard shows and a curl user reads), {@code zh} and {@code en} each on its own.
 */
final class Errors {
    private Errors() {
    }

    static Map<String, Object> of(String zh, String en) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", zh + " / " + en);
        m.put("zh", zh);
        m.put("en", en);
        return m;
    }
}
