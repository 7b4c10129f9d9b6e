package io.kvstore.engine.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQLite bridge (org.xerial:sqlite-jdbc, an optional dependency of engine-core: add it to use
 * this format).
 *
 * <pre>
 * export: CREATE TABLE t (key TEXT PRIMARY KEY, value TEXT NOT NULL), one row per record, the
 *         value its JSON text; all rows in one transaction
 * import: SELECT * FROM table, or a given query, row by row:
 *         columns exactly (key, value), as export writes them: the value column's JSON object is the record
 *         any other columns: the record is {column: value}: INTEGER → number, REAL → number,
 *         TEXT → string, BLOB → Base64 string, NULL → null
 * </pre>
 */
final class SqliteRecords {

    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";

    private SqliteRecords() {
    }

    private static Connection connect(Path file, boolean readOnly) {
        try {
            java.util.Properties properties = new java.util.Properties();
            if (readOnly) {
                properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: an import never creates or changes the file
            }
            return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("No suitable driver")) {
                throw new ImportException("the SQLite format needs org.xerial:sqlite-jdbc on the class path", e);
            }
            throw new ImportException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a table or query result one row at a time. */
    static final class Reader implements RecordReaders.RecordReader {
        private final Connection connection;
        private final Statement statement;
        private final ResultSet rows;
        private final List<String> columns = new ArrayList<>();
        private final boolean keyValue;
        private long number;

        Reader(Path file, String source) {
            connection = connect(file, true);
            try {
                String query = query(source);
                statement = connection.createStatement();
                statement.setFetchSize(256);
                rows = statement.executeQuery(query);
                ResultSetMetaData meta = rows.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                keyValue = columns.size() == 2 && columns.get(0).equalsIgnoreCase("key")
                        && columns.get(1).equalsIgnoreCase("value");
            } catch (SQLException e) {
                close();
                throw new ImportException("cannot read SQLite database " + file + ": " + e.getMessage(), e);
            }
        }

        private String query(String source) throws SQLException {
            if (source != null && !source.matches(IDENTIFIER)) {
                return source;
            }
            if (source != null) {
                return "SELECT * FROM \"" + source + "\"";
            }
            List<String> tables = new ArrayList<>();
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                            + " AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            if (tables.size() != 1) {
                throw new ImportException("the SQLite database has " + (tables.isEmpty() ? "no tables" : "the tables "
                        + tables) + "; name a table or a query to import");
            }
            return "SELECT * FROM \"" + tables.get(0) + "\"";
        }

        @SuppressWarnings("unchecked")
        @Override
        public RecordReaders.Row next() throws IOException {
            try {
                if (!rows.next()) {
                    return null;
                }
                number++;
                if (keyValue) {
                    String json = rows.getString(2);
                    Object doc;
                    try {
                        doc = json == null ? null : Documents.parseJson(json);
                    } catch (IllegalArgumentException e) {
                        return new RecordReaders.Row(number, null, "row " + number + ": value is not JSON: "
                                + e.getMessage(), json);
                    }
                    if (!(doc instanceof Map)) {
                        return new RecordReaders.Row(number, null, "row " + number + ": value is not a JSON object",
                                json);
                    }
                    return new RecordReaders.Row(number, (Map<String, Object>) doc, null, json);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = rows.getObject(i + 1);
                    doc.put(columns.get(i), v instanceof Integer n ? Long.valueOf(n) : v instanceof byte[] b
                            ? Base64.getEncoder().encodeToString(b) : v instanceof Float f ? Double.valueOf(f) : v);
                }
                return new RecordReaders.Row(number, doc, null, null);
            } catch (SQLException e) {
                throw new IOException("reading SQLite row " + (number + 1) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close(); // closes its statements and result sets
            } catch (SQLException ignored) {
                // nothing was written
            }
        }
    }

    /** Writes {@code (key, value)} rows into a new table, in one transaction committed on close. */
    static final class Writer implements RecordWriters.RecordWriter {
        private final Connection connection;
        private final PreparedStatement insert;
        private int pending;

        Writer(Path file, String table) {
            connection = connect(file, false);
            try {
                connection.setAutoCommit(false);
                try (Statement s = connection.createStatement()) {
                    s.executeUpdate("CREATE TABLE \"" + table + "\" (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                }
                insert = connection.prepareStatement("INSERT INTO \"" + table + "\" (key, value) VALUES (?, ?)");
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // reported below
                }
                throw new ImportException("cannot create table " + table + " in " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void write(String key, Map<String, Object> doc) throws IOException {
            try {
                insert.setString(1, key);
                insert.setString(2, Documents.toJson(doc));
                insert.addBatch();
                if (++pending == 1000) {
                    insert.executeBatch();
                    pending = 0;
                }
            } catch (SQLException e) {
                throw new IOException("writing key " + key + " to SQLite: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (pending > 0) {
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException e) {
                throw new IOException("committing the SQLite export: " + e.getMessage(), e);
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the commit's outcome is what matters
                }
            }
        }
    }
}
