package pm.monitor.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which files of a rules folder are the rules: {@code *.drl}, {@code parameters.conf},
 * {@code calendar/NAME/YYYY.json}, the test files {@code scenarios/*.ndjson} and {@code tests/*.test}, and documents
 * ({@code *.md}, {@code README*}, {@code LICENSE*}). Only these are read, hashed into the
 * version and stored with it; anything else (a {@code .git} folder — a rules folder kept as its
 * own checkout —, a spreadsheet, an editor's swap file) is left alone with a note, so that it
 * can neither change the version nor reach the database as text.
 */
public final class RulesFolder {
    private RulesFolder() {
    }

    /** What is read, in path order (relative, with {@code /}), and what was left out, each with why. */
    public record Listing(SortedMap<String, Path> files, List<Problem> ignored) {
    }

    /** The rules files of {@code root}; what is left out goes to {@link Listing#ignored()} as notes. */
    public static Listing list(Path root) throws IOException {
        SortedMap<String, Path> files = new TreeMap<>();
        List<Problem> ignored = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                    ignored.add(new Problem(RuleBook.relative(root, dir) + "/", 0,
                            "ignored: a hidden folder is not read (已忽略：隐藏文件夹不读取)"));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = RuleBook.relative(root, file);
                String why = refusal(rel);
                if (why == null) {
                    files.put(rel, file);
                } else {
                    ignored.add(new Problem(rel, 0, why));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        ignored.sort(java.util.Comparator.comparing(Problem::file));
        return new Listing(files, ignored);
    }

    /** Why a file (path relative to the folder) is not a rules file, or null if it is one. */
    public static String refusal(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (name.endsWith(".swp") || name.endsWith(".swo") || name.endsWith("~") || name.startsWith(".#")
                || name.startsWith("~$")) {
            return "ignored: an editor's working file (已忽略：编辑器的临时文件)";
        }
        if (name.startsWith(".")) {
            return "ignored: a hidden file (已忽略：隐藏文件)";
        }
        if (isRulesFile(rel)) {
            return null;
        }
        return "ignored: not a rules file (*.drl, parameters.conf, calendar/NAME/YYYY.json, scenarios/*.ndjson,"
                + " tests/*.test, *.md, README, LICENSE) (已忽略：非规则文件)";
    }

    /** Whether a path (relative to the folder, with {@code /}) is one of the files the rules are made of. */
    public static boolean isRulesFile(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (name.startsWith(".")) {
            return false;
        }
        if (name.endsWith(".drl") || rel.equals(RuleBook.PARAMETERS) || isDocument(name)) {
            return true;
        }
        if (rel.matches("calendar/[^/]+/\\d{4}\\.json")) {
            return true;
        }
        return rel.startsWith("scenarios/") && name.endsWith(".ndjson") || rel.startsWith("tests/") && name.endsWith(".test");
    }

    /** A document beside the rules: read by people only, kept with the version. */
    static boolean isDocument(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.endsWith(".MD") || upper.startsWith("README") || upper.startsWith("LICENSE");
    }

    /**
     * The file's text, if it is UTF-8 text: no invalid byte sequence and no NUL character (which
     * PostgreSQL cannot store in text); null otherwise.
     */
    public static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
