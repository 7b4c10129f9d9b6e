package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.io.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A failure the engine does not expect (not an IOException) must fail the store, not hang it. */
class KvStoreUnexpectedFailureTest {

    /** Delegates to an in-memory file system; WAL appends throw an unchecked exception once armed. */
    static final class ExplodingWalFileSystem implements FileSystem {
        final FaultInjectingFileSystem delegate = new FaultInjectingFileSystem();
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public WritableFile create(Path file) throws IOException {
            WritableFile inner = delegate.create(file);
            if (!file.getFileName().toString().endsWith(".log")) {
                return inner;
            }
            return new WritableFile() {
                @Override
                public void append(byte[] src, int off, int len) throws IOException {
                    if (armed.get()) {
                        throw new IllegalStateException("simulated bug below the WAL writer");
                    }
                    inner.append(src, off, len);
                }

                @Override
                public void sync() throws IOException {
                    inner.sync();
                }

                @Override
                public long size() {
                    return inner.size();
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }

        @Override
        public ReadableFile openForRead(Path file) throws IOException {
            return delegate.openForRead(file);
        }

        @Override
        public boolean exists(Path path) {
            return delegate.exists(path);
        }

        @Override
        public long size(Path file) throws IOException {
            return delegate.size(file);
        }

        @Override
        public List<String> list(Path dir) throws IOException {
            return delegate.list(dir);
        }

        @Override
        public void delete(Path file) throws IOException {
            delegate.delete(file);
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            delegate.rename(source, target);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            delegate.createDirectories(dir);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            delegate.syncDirectory(dir);
        }

        @Override
        public AutoCloseable lock(Path lockFile) throws IOException {
            return delegate.lock(lockFile);
        }
    }

    @Test
    void uncheckedFailureInTheWalFailsEveryQueuedWriterAndTheStoreStillCloses() throws Exception {
        ExplodingWalFileSystem fs = new ExplodingWalFileSystem();
        KvStore db = KvStore.open(Path.of("/boom"), KvStoreOptions.defaults().withFileSystem(fs));
        db.put("before", "ok");
        fs.armed.set(true);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Throwable>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            db.put("w" + id + ":" + i, "v");
                        }
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (Future<Throwable> w : writers) {
                    assertThat(w.get()).as("every writer fails instead of hanging").isInstanceOf(KvStoreException.class);
                }
            });
            assertThatThrownBy(() -> db.put("after", "x")).isInstanceOf(KvStoreException.class)
                    .hasMessageContaining("read-only");
            assertThat(db.get("before")).as("reads still work").isEqualTo("ok".getBytes());
            assertTimeoutPreemptively(Duration.ofSeconds(60), db::close);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
