package pm.monitor.app;

/** {@code serve} cannot start for a reason the operator can act on; the message says which and how. */
public final class CannotStart extends RuntimeException {
    public CannotStart(String message) {
        super(message);
    }

    public CannotStart(String message, Throwable cause) {
        super(message, cause);
    }

    /** The HTTP port is taken: by another serve, or another program. */
    static CannotStart portInUse(int port) {
        return new CannotStart("port " + port + " is in use (another serve, or another program, listens on it): stop it, "
                + "or start this one with another --port (端口 " + port + " 已被占用：请先停止占用它的程序，或用 --port 换一个端口)");
    }
}
