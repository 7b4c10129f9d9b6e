package io.kvstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite (configured as {@link SqlitePeer}: WAL, autocommit, a connection per thread) with the
 * indexed fields as columns beside the document:
 * {@code docs(k BLOB PRIMARY KEY, doc BLOB, email TEXT, city TEXT, ts INTEGER) WITHOUT ROWID} and
 * one {@code CREATE INDEX} per index of the {@link IndexSet}. The application fills the columns
 * from its own record (SQLite does not parse the JSON); the columns are there with no index too, so
 * {@code indexedfill-0} stores the same rows. Every query is checked to run on its index
 * ({@code EXPLAIN QUERY PLAN}) when the store opens.
 */
final class SqliteIndexedPeer implements IndexedPeer {

    private static final String BY_EMAIL = "SELECT k, doc FROM docs WHERE email = ? ORDER BY k";
    private static final String BY_CITY = "SELECT k, doc FROM docs WHERE city = ? ORDER BY k LIMIT ?";
    private static final String BY_TS = "SELECT k, doc FROM docs WHERE ts BETWEEN ? AND ? ORDER BY ts, k LIMIT ?";

    @Override
    public String indexNote() {
        return "columns email, city, ts beside the JSON doc in a WITHOUT ROWID table, CREATE INDEX per index; "
                + "one txn per write";
    }

    @Override
    public IndexedStore open(Path directory, Durability durability, IndexSet indexes) throws Exception {
        Files.createDirectories(directory);
        String url = "jdbc:sqlite:" + directory.resolve("docs.db");
        String synchronous = durability == Durability.SYNC ? "FULL" : "OFF";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE IF NOT EXISTS docs(k BLOB PRIMARY KEY, doc BLOB NOT NULL, email TEXT, city TEXT, "
                    + "ts INTEGER) WITHOUT ROWID");
            if (indexes.email()) {
                s.execute("CREATE INDEX IF NOT EXISTS docs_email ON docs(email)");
                checkPlan(c, BY_EMAIL, "docs_email");
            }
            if (indexes.cityAndTs()) {
                s.execute("CREATE INDEX IF NOT EXISTS docs_city ON docs(city)");
                s.execute("CREATE INDEX IF NOT EXISTS docs_ts ON docs(ts)");
                checkPlan(c, BY_CITY, "docs_city");
                checkPlan(c, BY_TS, "docs_ts");
            }
        }
        ThreadSessions<Session> session = new ThreadSessions<>(
                () -> new Session(DriverManager.getConnection(url), synchronous));
        return new IndexedStore() {
            @Override
            public void put(IndexedDocs.Doc doc) {
                try {
                    PreparedStatement ps = session.get().put;
                    ps.setBytes(1, doc.key());
                    ps.setBytes(2, doc.json());
                    ps.setString(3, doc.email());
                    ps.setString(4, doc.city());
                    ps.setLong(5, doc.ts());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<Found> byEmail(String email) {
                indexes.require("email");
                try {
                    PreparedStatement ps = session.get().byEmail;
                    ps.setString(1, email);
                    return rows(ps);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<Found> byCity(String city, int limit) {
                indexes.require("city");
                try {
                    PreparedStatement ps = session.get().byCity;
                    ps.setString(1, city);
                    ps.setInt(2, limit);
                    return rows(ps);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<Found> byTs(long from, long to, int limit) {
                indexes.require("ts");
                try {
                    PreparedStatement ps = session.get().byTs;
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    ps.setInt(3, limit);
                    return rows(ps);
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

    private static List<IndexedStore.Found> rows(PreparedStatement ps) throws SQLException {
        List<IndexedStore.Found> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new IndexedStore.Found(rs.getBytes(1), rs.getBytes(2)));
            }
        }
        return out;
    }

    /** Fails unless SQLite's plan for {@code sql} searches {@code index} (a scan would not be comparable). */
    private static void checkPlan(Connection c, String sql, String index) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setInt(i, 1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append("; ");
                }
            }
        }
        if (!plan.toString().contains("USING INDEX " + index) || plan.toString().contains("TEMP B-TREE")) {
            throw new IllegalStateException("SQLite does not run '" + sql + "' on index " + index + " alone: " + plan);
        }
    }

    /** One thread's connection and prepared statements. */
    private static final class Session {
        final Connection connection;
        final PreparedStatement put;
        final PreparedStatement byEmail;
        final PreparedStatement byCity;
        final PreparedStatement byTs;

        Session(Connection connection, String synchronous) throws SQLException {
            this.connection = connection;
            SqlitePeer.configure(connection, synchronous);
            put = connection.prepareStatement("INSERT OR REPLACE INTO docs(k, doc, email, city, ts) VALUES (?, ?, ?, ?, ?)");
            byEmail = connection.prepareStatement(BY_EMAIL);
            byCity = connection.prepareStatement(BY_CITY);
            byTs = connection.prepareStatement(BY_TS);
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
