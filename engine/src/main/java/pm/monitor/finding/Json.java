package pm.monitor.finding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import pm.monitor.calendar.Times;

/** Findings and KPIs as the contract writes them: one JSON object each, fields in contract order. */
public final class Json {
    private Json() {
    }

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    public static Map<String, Object> toMap(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("rule", f.rule());
        m.put("kind", f.kind());
        m.put("community", f.community());
        m.put("subject", f.subject());
        m.put("at", Times.iso(f.at(), f.zone()));
        m.put("dueAt", Times.iso(f.dueAt(), f.zone()));
        m.put("notify", f.role());
        m.put("clause", f.clause());
        m.put("details", f.details());
        m.put("rulesVersion", f.rulesVersion());
        return m;
    }

    public static Map<String, Object> toMap(Kpi k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kpi", k.kpi());
        m.put("community", k.community());
        m.put("period", k.period());
        m.put("value", k.value());
        m.put("numerator", k.numerator());
        m.put("denominator", k.denominator());
        m.put("target", k.target());
        m.put("met", k.met());
        if (k.breakdown() != null) {
            m.put("breakdown", k.breakdown());
        }
        return m;
    }

    /**
     * Writes the value's JSON to {@code to} as it goes (the writer is left open): a large result
     * (a backtest's every change) is not built as one string first, which took twice its size.
     */
    public static void write(Object value, java.io.Writer to) {
        try {
            MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(to, value);
            to.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text into plain maps, lists and values. */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String line(Finding f) {
        return write(toMap(f));
    }

    public static String line(Kpi k) {
        return write(toMap(k));
    }

    public static String details(Map<String, Object> details) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            MAPPER.writeValue(g, details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
