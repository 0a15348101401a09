package pm.monitor.store;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL's data folder is locked by another process: another {@code serve}
 * (or a {@code token} command) runs on it. What to do differs by command, so the message says
 * only what is the case; the command adds the way out.
 */
public final class DataFolderInUse extends IllegalStateException {
    private final Path folder;

    public DataFolderInUse(Path folder) {
        super("another serve is running on data folder " + folder + " (另一个 serve 正在使用数据目录 " + folder + ")");
        this.folder = folder;
    }

    /** The data folder ({@code --data}), not its pgdata inside. */
    public Path folder() {
        return folder;
    }
}
