package lookout.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import lookout.schema.TableRow;

/**
 * A backfill's rows on their way into the writer's empty tables as one bulk load. Every row is appended as it comes,
 * by DuckDB's appender, to a temporary staging table of its table that has no key and no index
 * ({@link DuckDbTable#bulkStagingDdl}); at the end of input one set-based statement per table builds it from its
 * staged rows ({@link DuckDbTable#buildStatement}), to what upserting them batch by batch would have left. Upserts
 * probe and update the key index once per batch and cell, which cost more the more the tables held; the build
 * sorts and sums once. The staged rows live in DuckDB, not on the heap: beyond DuckDB's memory limit they spill to
 * its temporary directory beside the writer's file.
 */
final class DuckDbBulkLoad {
    private final Connection connection;
    /** One per table of {@link DuckDbTables#STAGED}, in its order. */
    private final List<DuckDBAppender> appenders;
    private long arrivals;
    /** The table of the last row staged: rows come in runs of one table (the combiner's cells), so it is asked first. */
    private int lastTable;

    private DuckDbBulkLoad(Connection connection, List<DuckDBAppender> appenders) {
        this.connection = connection;
        this.appenders = appenders;
    }

    /** Creates the staging tables on {@code connection} and opens their appenders. */
    static DuckDbBulkLoad start(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                s.execute(table.bulkStagingDdl());
            }
        }
        DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
        List<DuckDBAppender> appenders = new ArrayList<>();
        try {
            for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                appenders.add(duck.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, table.bulkName()));
            }
        } catch (SQLException | RuntimeException e) {
            closeAll(appenders, e);
            throw e;
        }
        return new DuckDbBulkLoad(connection, appenders);
    }

    /** Stages {@code row} for the table it is for. */
    void append(TableRow row) throws SQLException {
        long arrival = arrivals++;
        int tables = appenders.size();
        for (int k = 0; k < tables; k++) {
            int i = (lastTable + k) % tables;
            if (append(DuckDbTables.STAGED.get(i), row, appenders.get(i), arrival)) {
                lastTable = i;
                return;
            }
        }
    }

    private static <R> boolean append(DuckDbTable<R> table, TableRow row, DuckDBAppender appender, long arrival)
            throws SQLException {
        R record = table.recordOf(row);
        if (record == null) {
            return false;
        }
        table.bulkStage(appender, record, arrival);
        return true;
    }

    /**
     * Flushes the appenders and builds every staged table from its staged rows in one transaction, writing
     * {@code writeTime} (an SQL expression) as each row's write time; then drops the staging tables.
     */
    void build(String writeTime) throws SQLException {
        closeAppenders();
        DuckDbStore.inTransaction(connection, () -> {
            try (Statement s = connection.createStatement()) {
                for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                    s.execute(table.buildStatement(writeTime));
                }
            }
            return null;
        });
        try (Statement s = connection.createStatement()) {
            for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                s.execute("DROP TABLE " + table.bulkName());
            }
        }
    }

    /** Closes the appenders of a load given up; the staging tables go with the connection. */
    void abandon() throws SQLException {
        closeAppenders();
    }

    private void closeAppenders() throws SQLException {
        try {
            closeAll(appenders, null);
        } finally {
            appenders.clear();
        }
    }

    /**
     * Closes (and so flushes) every appender, even when one fails. With {@code failure}, what fails is added to it;
     * without, the first failure is thrown.
     */
    private static void closeAll(List<DuckDBAppender> appenders, Exception failure) throws SQLException {
        SQLException first = null;
        for (DuckDBAppender a : appenders) {
            try {
                a.close();
            } catch (SQLException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
