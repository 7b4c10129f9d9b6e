package io.kvstore.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/**
 * Progress on stderr for long operations, only when stderr is a terminal and output is not
 * {@code --json}: a live count for import and export, elapsed seconds for the others.
 */
final class Progress implements LongConsumer {

    private final PrintStream err;
    private final String label;
    private final boolean on;
    private final long start = System.nanoTime();
    private long lastPrint;

    Progress(String label, boolean json) {
        this.err = System.err;
        this.label = label;
        this.on = !json && System.console() != null;
    }

    @Override
    public void accept(long count) {
        long now = System.nanoTime();
        if (on && now - lastPrint > 200_000_000L) {
            lastPrint = now;
            err.printf("\r%s: %,d records, %.1fs", label, count, (now - start) / 1e9);
            err.flush();
        }
    }

    void done() {
        if (on && lastPrint != 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    /** Runs {@code work}, showing the elapsed time while it runs. */
    static <T> T during(String label, boolean json, Callable<T> work) throws Exception {
        Progress p = new Progress(label, json);
        if (!p.on) {
            return work.call();
        }
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(250);
                    p.err.printf("\r%s... %.1fs", label, (System.nanoTime() - p.start) / 1e9);
                    p.err.flush();
                    p.lastPrint = 1;
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "kvstore-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return work.call();
        } finally {
            ticker.interrupt();
            ticker.join();
            p.done();
        }
    }
}
