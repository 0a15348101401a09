package pm.monitor.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reads events from NDJSON (one object per line) or from a JSON array, checks each against
 * the contract and hands every good event and every rejection to a {@link Sink}. One bad
 * line never costs the good lines around it: each NDJSON line is parsed on its own.
 */
public final class EventReader {

    /** Where read events go, in input order. */
    public interface Sink {
        /** A good event; {@code text} is its JSON as sent. */
        void accept(Event event, int line, String text);

        void reject(Rejection rejection);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());
    private final JsonFactory factory = MAPPER.getFactory();
    private final int maxLineLength;

    public EventReader() {
        this(1 << 20);
    }

    /** @param maxLineLength longest accepted line (or array element), in characters */
    public EventReader(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Reads a whole body: a JSON array when its first non-blank character is '[', else NDJSON. */
    public void read(String body, Sink sink) {
        int i = 0;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
            i++;
        }
        if (i < body.length() && body.charAt(i) == '[') {
            readArray(body, sink);
        } else {
            int line = 0;
            int index = 0;
            int start = 0;
            while (start <= body.length()) {
                int end = body.indexOf('\n', start);
                if (end < 0) {
                    end = body.length();
                }
                line++;
                String text = body.substring(start, end);
                if (!text.isBlank()) {
                    index++;
                    readLine(text, line, index, sink);
                }
                start = end + 1;
            }
        }
    }

    /** Streams NDJSON from a reader (large files); a JSON array is read whole. */
    public void read(BufferedReader in, Sink sink) {
        try {
            in.mark(1 << 16);
            int c;
            do {
                c = in.read();
            } while (c >= 0 && Character.isWhitespace(c));
            in.reset();
            if (c == '[') {
                StringBuilder all = new StringBuilder();
                char[] buf = new char[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    all.append(buf, 0, n);
                }
                readArray(all.toString(), sink);
                return;
            }
            String text;
            int line = 0;
            int index = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    index++;
                    readLine(text, line, index, sink);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one NDJSON line. */
    public void readLine(String text, int line, int index, Sink sink) {
        if (text.length() > maxLineLength) {
            sink.reject(new Rejection(line, index, null, null,
                    "line is " + text.length() + " characters long; the limit is " + maxLineLength));
            return;
        }
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
            text = text.substring(0, text.length() - 1);
        }
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.reject(new Rejection(line, index, null, null, "not a JSON object"));
                return;
            }
            Fields f = readObject(p);
            if (p.nextToken() != null) {
                sink.reject(new Rejection(line, index, idOf(f), null, "text after the end of the JSON object"));
                return;
            }
            build(f, line, index, text, sink);
        } catch (JsonParseException e) {
            sink.reject(new Rejection(line, index, null, null, "malformed JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            sink.reject(new Rejection(line, index, null, null, "unreadable: " + e.getMessage()));
        } catch (EventException e) {
            sink.reject(new Rejection(line, index, null, e.field(), e.reason()));
        }
    }

    private void readArray(String body, Sink sink) {
        int index = 0;
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                sink.reject(new Rejection(1, 1, null, null, "not a JSON array"));
                return;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    sink.reject(new Rejection(p.currentLocation().getLineNr(), index + 1, null, null,
                            "the JSON array is not closed"));
                    return;
                }
                index++;
                int line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    sink.reject(new Rejection(line, index, null, null, "not a JSON object"));
                    continue;
                }
                int from = (int) p.currentTokenLocation().getCharOffset();
                Fields f;
                try {
                    f = readObject(p);
                } catch (EventException e) {
                    p.skipChildren();
                    sink.reject(new Rejection(line, index, null, e.field(), e.reason()));
                    continue;
                }
                int to = (int) p.currentLocation().getCharOffset();
                String text = body.substring(from, to);
                if (text.length() > maxLineLength) {
                    sink.reject(new Rejection(line, index, idOf(f), null,
                            "event is " + text.length() + " characters long; the limit is " + maxLineLength));
                    continue;
                }
                build(f, line, index, text, sink);
            }
        } catch (JsonParseException e) {
            sink.reject(new Rejection(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), index + 1, null, null,
                    "malformed JSON (the rest of the array is not read): " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the fields of the object whose START_OBJECT is the current token, up to its END_OBJECT. */
    private Fields readObject(JsonParser p) throws IOException {
        Fields f = new Fields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> Fields.NULL;
                case START_OBJECT, START_ARRAY -> MAPPER.readTree(p);
                default -> throw new EventException(name, "unexpected JSON token " + v);
            };
            if (f.raw(name) != null) {
                throw new EventException(name, "appears twice in one event");
            }
            f.put(name, value);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new EventException(null, "malformed JSON object");
        }
        return f;
    }

    private static String idOf(Fields f) {
        Object id = f.raw("id");
        return id instanceof String s ? s : null;
    }

    private static void build(Fields f, int line, int index, String text, Sink sink) {
        String id = idOf(f);
        try {
            id = f.requiredString("id");
            String type = f.requiredString("type");
            Instant at = f.requiredInstant("at");
            String community = f.requiredString("community");
            if (!EventTypes.known(type)) {
                throw new EventException("type", "unknown event type \"" + type + "\"");
            }
            sink.accept(EventTypes.read(type, id, at, community, f), line, text);
        } catch (EventException e) {
            sink.reject(new Rejection(line, index, id, e.field(), e.reason()));
        }
    }
}
