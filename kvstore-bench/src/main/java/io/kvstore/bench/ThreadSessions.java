package io.kvstore.bench;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One JDBC session per benchmark thread (a SQLite connection and its statements are not shared
 * between threads), opened on first use and all closed together.
 */
final class ThreadSessions<S> {

    interface Opener<S> {
        S open() throws SQLException;
    }

    private final List<S> opened = new CopyOnWriteArrayList<>();
    private final ThreadLocal<S> current;

    ThreadSessions(Opener<S> opener) {
        this.current = ThreadLocal.withInitial(() -> {
            try {
                S session = opener.open();
                opened.add(session);
                return session;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The calling thread's session. */
    S get() {
        return current.get();
    }

    void closeAll(Consumer<S> close) {
        opened.forEach(close);
    }
}
