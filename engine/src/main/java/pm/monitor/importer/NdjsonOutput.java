package pm.monitor.importer;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Events as NDJSON lines, the contract's file format, for {@code replay} or a later POST. */
public final class NdjsonOutput implements Importer.Output {
    private final Writer out;
    private long lines;

    public NdjsonOutput(Writer out) {
        this.out = out;
    }

    @Override
    public void accept(String json, int row) throws IOException {
        out.write(json);
        out.write('\n');
        lines++;
    }

    @Override
    public Importer.Delivery finish() throws IOException {
        out.flush();
        return new Importer.Delivery(lines, 0, List.of());
    }
}
