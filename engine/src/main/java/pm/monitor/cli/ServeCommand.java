package pm.monitor.cli;

import java.io.PrintStream;

final class ServeCommand {
    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        err.println("serve: not built yet");
        return 1;
    }
}
