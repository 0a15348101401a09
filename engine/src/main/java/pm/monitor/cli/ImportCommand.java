package pm.monitor.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import pm.monitor.importer.Importer;
import pm.monitor.importer.Mapping;
import pm.monitor.importer.MappingException;
import pm.monitor.importer.NdjsonOutput;
import pm.monitor.importer.ServeOutput;

/** {@code import}: a ticket log exported from another system (CSV or XLSX) as the contract's events. */
final class ImportCommand {
    static final String HELP = """
            Usage: import --mapping FILE [--out FILE | --to URL [--token T] [--live]] [--skipped FILE] [--batch N]
                          [--strict] EXPORT

            Reads a ticket log exported from another system (CSV with any delimiter, UTF-8 or GBK,
            with or without BOM; or XLSX) and writes each usable row as the contract's events:
            ticket.received, and the later steps the row's columns give (contacted, dispatched,
            resolved, replied, closed). The mapping file says which column is what, how dates are
            written, and how the source's values become ours (import/README.md). A row that cannot
            be used (no received time, a date no format reads, closed before received, a duplicate)
            is reported with its row number and reason and left out; the rest is imported.

              --mapping FILE  the mapping (required)
              --out FILE      write the events as NDJSON here (default: stdout), for replay
              --to URL        store them in a running serve through POST URL/api/events instead. A log
                              of the past needs a serve started with --clock events (its clock follows
                              the events; then POST /api/clock to run it to the log's end): against
                              the wall clock every old deadline would be judged at once, as now.
                              import asks the server (GET /api/health) first and stops if it is not
              --token T       an API token for --to (env MONITOR_TOKEN), once the server has tokens
              --live          send to a wall-clock serve all the same: the rows are today's events
              --batch N       events per POST with --to (default 500)
              --skipped FILE  write the skipped rows' reports here instead of stderr
              --strict        exit with code 1 if any row was skipped or any event refused

            Progress and the summary (rows read, events written, rows skipped per reason, values no
            map knew, rows/s) go to stderr. Exit code 0 on success, 1 on a failure, 2 on bad usage.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ImportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--mapping", "--out", "--to", "--batch", "--skipped", "--token"),
                Set.of("--strict", "--live"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        if (args.positional().size() != 1) {
            throw new Args.UsageException("name one export file to import");
        }
        if (args.get("--out") != null && args.get("--to") != null) {
            throw new Args.UsageException("--out and --to exclude each other");
        }
        Path file = Path.of(args.positional().get(0));
        Path mappingFile = Path.of(args.require("--mapping"));
        int batch;
        try {
            batch = Integer.parseInt(args.get("--batch", "500"));
            if (batch < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--batch must be a positive whole number");
        }
        if (!Files.isRegularFile(file)) {
            err.println("import: no such file: " + file);
            return 1;
        }
        Mapping mapping;
        try {
            mapping = Mapping.load(mappingFile);
        } catch (NoSuchFileException e) {
            err.println("import: no such mapping file: " + mappingFile);
            return 1;
        } catch (IOException e) {
            err.println("import: cannot read " + mappingFile + ": " + e.getMessage());
            return 1;
        } catch (MappingException e) {
            err.println("import: the mapping cannot be used:");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        }

        String token = args.get("--token", System.getenv("MONITOR_TOKEN"));
        if (args.get("--to") != null) {
            // before a row is read: a history sent to a wall-clock server is judged as of now
            String refusal = ServeOutput.preflight(args.get("--to"), token, args.flag("--live"));
            if (refusal != null) {
                err.println("import: " + refusal);
                return 1;
            }
        }
        Importer.Summary s;
        try (Writer skippedFile = args.get("--skipped") == null ? null
                : Files.newBufferedWriter(Path.of(args.get("--skipped")), StandardCharsets.UTF_8);
             Writer events = args.get("--to") != null ? null : args.get("--out") != null
                     ? Files.newBufferedWriter(Path.of(args.get("--out")), StandardCharsets.UTF_8)
                     : new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            Importer.Output output = events != null ? new NdjsonOutput(events) : new ServeOutput(args.get("--to"), batch, token);
            s = new Importer().run(file, mapping, output, new Importer.Listener() {
                @Override
                public void progress(String message) {
                    err.println("import: " + message);
                }

                @Override
                public void skipped(Importer.Skipped skipped) {
                    if (skippedFile == null) {
                        err.println("skipped " + skipped);
                        return;
                    }
                    try {
                        skippedFile.write(skipped + "\n");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } catch (MappingException e) {
            err.println("import: the mapping does not fit " + file + ":");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("import: " + file + ": " + e.getMessage());
            return 1;
        }
        for (Importer.Rejected r : s.delivery().rejected()) {
            err.println("refused " + r);
        }
        err.print(summary(s, mappingFile, args.get("--to")));
        boolean clean = s.rowsSkipped() == 0 && s.delivery().rejected().isEmpty();
        return args.flag("--strict") && !clean ? 1 : 0;
    }

    static String summary(Importer.Summary s, Path mapping, String to) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("import: %s (%s) with %s%n", s.file(), s.source(), mapping));
        b.append(String.format("  rows read       %8d%n", s.rowsRead()));
        b.append(String.format("  rows imported   %8d%n", s.rowsImported()));
        b.append(String.format("  rows skipped    %8d%n", s.rowsSkipped()));
        for (Map.Entry<String, Integer> e : s.skipped().entrySet()) {
            b.append(String.format("    %-26s %6d%n", e.getKey(), e.getValue()));
        }
        b.append(String.format("  events written  %8d  (%s)%n", s.eventsWritten(), s.eventsByType().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        if (to != null) {
            b.append(String.format("  stored by %s: %d accepted, %d already there, %d refused%n", to,
                    s.delivery().accepted(), s.delivery().duplicates(), s.delivery().rejected().size()));
        }
        if (!s.unmapped().isEmpty()) {
            b.append("  values no map knew (rows; the default was used, for a complaint's category: other)\n");
            for (Map.Entry<String, Map<String, Integer>> f : s.unmapped().entrySet()) {
                int rows = f.getValue().values().stream().mapToInt(Integer::intValue).sum();
                b.append(String.format("    %s: %d rows: %s%n", f.getKey(), rows, f.getValue().entrySet().stream()
                        .limit(12).map(e -> "\"" + e.getKey() + "\" " + e.getValue()).collect(Collectors.joining(", "))
                        + (f.getValue().size() > 12 ? ", … (" + (f.getValue().size() - 12) + " more)" : "")));
            }
        }
        b.append(String.format("  %.2f s, %.0f rows/s%n", s.seconds(), s.rowsPerSecond()));
        return b.toString();
    }
}
