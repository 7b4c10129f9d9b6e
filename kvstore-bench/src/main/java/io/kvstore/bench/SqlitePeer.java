package io.kvstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * SQLite through sqlite-jdbc: WAL journal, {@code kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID},
 * autocommit (one transaction per write), one connection per thread (writers wait on SQLite's
 * lock with a busy timeout). NONE = {@code synchronous=OFF}, SYNC = {@code synchronous=FULL}.
 */
final class SqlitePeer implements Peer {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public Optional<IndexedPeer> indexed() {
        return Optional.of(new SqliteIndexedPeer());
    }

    @Override
    public String durabilityNote() {
        return "WAL journal, WITHOUT ROWID table, one txn per write; NONE = synchronous=OFF, SYNC = synchronous=FULL";
    }

    @Override
    public Store open(Path directory, Durability durability) throws Exception {
        Files.createDirectories(directory);
        String url = "jdbc:sqlite:" + directory.resolve("kv.db");
        String synchronous = durability == Durability.SYNC ? "FULL" : "OFF";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
        }
        ThreadSessions<Session> session = new ThreadSessions<>(
                () -> new Session(DriverManager.getConnection(url), synchronous));
        return new Store() {
            @Override
            public void put(byte[] key, byte[] value) {
                try {
                    PreparedStatement ps = session.get().put;
                    ps.setBytes(1, key);
                    ps.setBytes(2, value);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public byte[] get(byte[] key) {
                try {
                    PreparedStatement ps = session.get().get;
                    ps.setBytes(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void delete(byte[] key) {
                try {
                    PreparedStatement ps = session.get().delete;
                    ps.setBytes(1, key);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                try {
                    PreparedStatement ps = session.get().scan;
                    ps.setBytes(1, fromKey);
                    ps.setInt(2, n);
                    int read = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getBytes(1);
                            rs.getBytes(2);
                            read++;
                        }
                    }
                    return read;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public long bytesOnDisk() {
                return DirectorySize.of(directory);
            }

            @Override
            public void close() {
                session.closeAll(Session::close);
            }
        };
    }

    /** What every benchmark connection sets: wait for the writer lock, and the durability's sync level. */
    static void configure(Connection connection, String synchronous) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout=60000");
            s.execute("PRAGMA synchronous=" + synchronous);
        }
    }

    /** One thread's connection and prepared statements. */
    private static final class Session {
        final Connection connection;
        final PreparedStatement put;
        final PreparedStatement get;
        final PreparedStatement delete;
        final PreparedStatement scan;

        Session(Connection connection, String synchronous) throws SQLException {
            this.connection = connection;
            configure(connection, synchronous);
            put = connection.prepareStatement("INSERT OR REPLACE INTO kv(k, v) VALUES (?, ?)");
            get = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
            delete = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
            scan = connection.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?");
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
