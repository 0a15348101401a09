package pm.monitor.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which encoding a text export is in. Chinese property software writes GBK (Excel's "CSV" on a
 * Chinese Windows) or UTF-8, with or without a byte-order mark. A BOM settles it; otherwise the
 * whole file is checked as UTF-8, because GBK text is almost never valid UTF-8 while a check of
 * the first lines only would miss a file whose first Chinese character comes late. What is not
 * UTF-8 is read as GB18030, which decodes every GBK file the same and a few more characters.
 */
final class Encodings {
    private Encodings() {
    }

    static final Charset GB18030 = Charset.forName("GB18030");

    /** The encoding and the length of the byte-order mark to skip. */
    record Detected(Charset charset, int bom, boolean guessed) {
    }

    static Detected detect(Path file, Charset configured) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        int bom = 0;
        Charset fromBom = null;
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            fromBom = StandardCharsets.UTF_8;
            bom = 3;
        } else if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            fromBom = StandardCharsets.UTF_16LE;
            bom = 2;
        } else if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            fromBom = StandardCharsets.UTF_16BE;
            bom = 2;
        }
        if (configured != null) {
            // The mapping's word wins, but a UTF-8 mark is still not part of the first column's name.
            return new Detected(configured, configured.equals(fromBom) ? bom : 0, false);
        }
        if (fromBom != null) {
            return new Detected(fromBom, bom, false);
        }
        return new Detected(isUtf8(file) ? StandardCharsets.UTF_8 : GB18030, 0, true);
    }

    private static boolean isUtf8(Path file) throws IOException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        try (InputStream s = Files.newInputStream(file)) {
            while (true) {
                int r = s.read(in.array(), in.position(), in.remaining());
                boolean end = r < 0;
                if (!end) {
                    in.position(in.position() + r);
                }
                in.flip();
                CoderResult cr = d.decode(in, out, end);
                if (cr.isError()) {
                    return false;
                }
                out.clear();
                in.compact();
                if (end) {
                    return !d.flush(out).isError() && in.position() == 0;
                }
            }
        }
    }
}
