package lookout.sink;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.duckdb.DuckDBAppender;

import lookout.schema.TableRow;

/**
 * One DuckDB table, declared once: its columns in order, with their types, which of them form the key, and which
 * are increments rather than replaced values. Everything else is derived from the declaration: the CREATE
 * statement, the staging table that the appender fills and its column order, and the statement that merges the
 * staged rows into the table. {@link DuckDbTables} holds the declarations.
 *
 * @param <R> the record a row is made from
 */
final class DuckDbTable<R> {
    /** What a column is to the table's upserts. */
    enum Role {
        /** Part of the primary key; rows with equal keys are one row. */
        KEY,
        /** Replaced by the latest row with the same key. */
        VALUE,
        /** Added to the stored value by each row with the same key. */
        INCREMENT,
        /** The time of the write, given by the writer rather than by the row (not staged). */
        WRITE_TIME
    }

    /**
     * How a record's value travels through the staging table: the appender writes plain numbers and text, and the
     * merge turns them into the column's type.
     */
    enum Staging {
        /** Staged as the column's own type. */
        AS_IS(null, "%s"),
        /** Epoch seconds, staged as BIGINT. */
        EPOCH_SECONDS("BIGINT", "to_timestamp(%s)"),
        /** Epoch milliseconds, staged as BIGINT. */
        EPOCH_MILLIS("BIGINT", "to_timestamp(%s / 1000.0)"),
        /** An ISO date (YYYY-MM-DD), staged as VARCHAR. */
        ISO_DATE("VARCHAR", "%s::DATE"),
        /** A JSON document, staged as VARCHAR. */
        JSON_TEXT("VARCHAR", "%s::JSON");

        private final String stagedType;
        private final String conversion;

        Staging(String stagedType, String conversion) {
            this.stagedType = stagedType;
            this.conversion = conversion;
        }
    }

    /**
     * One column. {@code stagedName} is the staging table's name for it (kept apart from {@code name} because
     * writer files made by earlier versions hold staging tables with these names).
     */
    record Column<R>(String name, String type, boolean allowsNull, Role role, Staging staging, String stagedName,
                     Function<R, ?> value) {
        /** A column that may hold null. */
        Column<R> nullable() {
            return new Column<>(name, type, true, role, staging, stagedName, value);
        }

        /** A column staged as {@code stagedName} and converted by {@code how} on its way into the table. */
        Column<R> staged(Staging how, String stagedName) {
            return new Column<>(name, type, allowsNull, role, how, stagedName, value);
        }

        /** A column staged under its own name, converted by {@code how}. */
        Column<R> staged(Staging how) {
            return staged(how, name);
        }

        String stagedType() {
            return staging.stagedType == null ? type : staging.stagedType;
        }

        String fromStaged() {
            return String.format(staging.conversion, stagedName);
        }
    }

    static <R> Column<R> key(String name, String type, Function<R, ?> value) {
        return new Column<>(name, type, false, Role.KEY, Staging.AS_IS, name, value);
    }

    static <R> Column<R> value(String name, String type, Function<R, ?> value) {
        return new Column<>(name, type, false, Role.VALUE, Staging.AS_IS, name, value);
    }

    static <R> Column<R> increment(String name, String type, Function<R, ?> value) {
        return new Column<>(name, type, false, Role.INCREMENT, Staging.AS_IS, name, value);
    }

    /** A column of a {@link #derived} table: filled by the statement that derives it, not from a record. */
    static Column<Void> computed(String name, String type) {
        return new Column<>(name, type, true, Role.VALUE, Staging.AS_IS, name, r -> null);
    }

    static <R> Column<R> writeTime(String name) {
        return new Column<>(name, "TIMESTAMPTZ", false, Role.WRITE_TIME, Staging.AS_IS, null, r -> null);
    }

    /** The bulk staging tables' column numbering the rows in the order they arrived. */
    static final String ARRIVAL = "arrival";

    private final String name;
    private final String stagingName;
    private final Function<TableRow, R> fromRow;
    private final boolean upsert;
    private final List<Column<R>> columns;
    /**
     * What a row must not fall behind the stored row of its key in to replace it: SQL expressions compared in
     * order, each given the name the row goes by; empty when the latest row always replaces.
     */
    private final List<Function<String, String>> ranking;
    /** Every column but the write time, in order: what a row stages, worked out once rather than per row. */
    private final List<Column<R>> stagedColumns;
    /**
     * Whether the order rows arrive in decides what the table holds: a row's values replace those of the earlier rows
     * of its key, and a table without a key keeps its rows in order. Its bulk staging table then numbers its rows.
     */
    private final boolean arrivalMatters;
    /** Whether the table is only ever built anew into the published snapshot ({@link #derived}). */
    private final boolean derived;

    private DuckDbTable(String name, String stagingName, Function<TableRow, R> fromRow, boolean upsert,
                        List<Column<R>> columns, List<Function<String, String>> ranking) {
        this(name, stagingName, fromRow, upsert, columns, ranking, false);
    }

    private DuckDbTable(String name, String stagingName, Function<TableRow, R> fromRow, boolean upsert,
                        List<Column<R>> columns, List<Function<String, String>> ranking, boolean derived) {
        this.derived = derived;
        this.name = name;
        this.stagingName = stagingName;
        this.fromRow = fromRow;
        this.upsert = upsert;
        this.columns = List.copyOf(columns);
        this.ranking = List.copyOf(ranking);
        this.stagedColumns = this.columns.stream().filter(c -> c.role() != Role.WRITE_TIME).toList();
        this.arrivalMatters = this.columns.stream().anyMatch(c -> c.role() == Role.VALUE);
    }

    /**
     * This table, where a row replaces the stored row of its key only when it ranks at least as high: {@code ranking}
     * are SQL expressions compared in order, the first that differs deciding; each is given the name of the row it
     * ranks ({@code excluded} for a new row, the table's name for the stored one).
     */
    @SafeVarargs
    final DuckDbTable<R> replacedUnlessBehindIn(Function<String, String>... ranking) {
        return new DuckDbTable<>(name, stagingName, fromRow, upsert, columns, List.of(ranking));
    }

    /**
     * A table filled from the sink's rows through the staging table {@code stagingName}; {@code fromRow} picks its
     * record out of a {@link TableRow} (null when the row is for another table). Rows with the key of a stored row
     * update it; a table without key columns only appends.
     */
    @SafeVarargs
    static <R> DuckDbTable<R> staged(String name, String stagingName, Function<TableRow, R> fromRow, Column<R>... columns) {
        return new DuckDbTable<>(name, stagingName, fromRow, true, List.of(columns), List.of());
    }

    /** A table written directly (see {@link #appendedName}); a row with the key of a stored row updates it. */
    @SafeVarargs
    static <R> DuckDbTable<R> direct(String name, Column<R>... columns) {
        return new DuckDbTable<>(name, null, row -> null, true, List.of(columns), List.of());
    }

    /** A table written directly whose rows are never updated: inserting a stored key is an error. */
    @SafeVarargs
    static <R> DuckDbTable<R> ledger(String name, Column<R>... columns) {
        return new DuckDbTable<>(name, null, row -> null, false, List.of(columns), List.of());
    }

    /**
     * A published table that each publish builds anew from the other tables ({@link #createAs}), straight into the
     * snapshot: the writer's file does not keep it, so it has no key to maintain and nothing to delete.
     */
    @SafeVarargs
    static DuckDbTable<Void> derived(String name, Column<Void>... columns) {
        return new DuckDbTable<>(name, null, row -> null, false, List.of(columns), List.of(), true);
    }

    String name() {
        return name;
    }

    boolean isDerived() {
        return derived;
    }

    /**
     * The statement that creates {@code qualifiedName} holding what {@code query} selects, sorted by
     * {@code orderBy}: the query's columns of this table's names, each cast to its declared type.
     */
    String createAs(String qualifiedName, String query, String orderBy) {
        String casts = columns.stream().map(c -> "CAST(" + c.name() + " AS " + c.type() + ") AS " + c.name())
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + qualifiedName + " AS SELECT " + casts + " FROM (" + query + ") AS " + name
                + " ORDER BY " + orderBy;
    }

    List<Column<R>> columns() {
        return columns;
    }

    boolean isStaged() {
        return stagingName != null;
    }

    String stagingName() {
        return stagingName;
    }

    private List<Column<R>> keys() {
        return columns.stream().filter(c -> c.role() == Role.KEY).toList();
    }

    /**
     * The CREATE statement. A single key column is declared inline; a compound key after the columns, whose key
     * columns are then declared NOT NULL.
     */
    String ddl() {
        List<Column<R>> keys = keys();
        List<String> parts = new ArrayList<>();
        for (Column<R> c : columns) {
            String constraint = c.role() == Role.KEY && keys.size() == 1 ? " PRIMARY KEY" : c.allowsNull() ? "" : " NOT NULL";
            parts.add(c.name() + " " + c.type() + constraint);
        }
        if (keys.size() > 1) {
            parts.add("PRIMARY KEY (" + names(keys) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + name + " (" + String.join(", ", parts) + ")";
    }

    /** The CREATE statement of the staging table: every column but the write time, without constraints. */
    String stagingDdl() {
        requireStaged();
        return "CREATE TABLE IF NOT EXISTS " + stagingName + " (" + stagedColumnsDdl() + ")";
    }

    /** Moves the staged rows into the table; {@code writeTime} is the SQL expression for the write-time columns. */
    String mergeStatement(String writeTime) {
        requireStaged();
        return insertFrom(stagingName, writeTime);
    }

    /**
     * The temporary table a directly written table's rows are appended to, so that one statement inserts them all:
     * DuckDB's driver runs a batch of prepared inserts one row at a time, and a city of 10,000 areas (some 80,000
     * rows of names, shapes and neighbours) took a minute and a half of native work at the job's start.
     */
    String appendedName() {
        return "appended_" + name;
    }

    /** The CREATE statement of {@link #appendedName}: every column but the write time, without constraints. */
    String appendedDdl() {
        return "CREATE TEMP TABLE IF NOT EXISTS " + appendedName() + " (" + stagedColumnsDdl() + ")";
    }

    /**
     * Inserts the rows appended to {@link #appendedName} into the table, each as if inserted alone: a row with the
     * key of a stored row updates it, unless the table is a ledger. {@code writeTime} as in {@link #mergeStatement}.
     */
    String insertAppendedStatement(String writeTime) {
        return insertFrom(appendedName(), writeTime);
    }

    private String insertFrom(String source, String writeTime) {
        String select = columns.stream().map(c -> c.role() == Role.WRITE_TIME ? writeTime : c.fromStaged())
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + name + " SELECT " + select + " FROM " + source + onConflict();
    }

    private String stagedColumnsDdl() {
        return stagedColumns.stream().map(c -> c.stagedName() + " " + c.stagedType()).collect(Collectors.joining(", "));
    }

    private String onConflict() {
        List<Column<R>> keys = keys();
        if (!upsert || keys.isEmpty()) {
            return "";
        }
        String updates = columns.stream().filter(c -> c.role() != Role.KEY)
                .map(c -> c.name() + " = " + (c.role() == Role.INCREMENT ? name + "." + c.name() + " + " : "")
                        + "excluded." + c.name())
                .collect(Collectors.joining(", "));
        if (updates.isEmpty()) {
            return " ON CONFLICT (" + names(keys) + ") DO NOTHING";
        }
        return " ON CONFLICT (" + names(keys) + ") DO UPDATE SET " + updates
                + (ranking.isEmpty() ? "" : " WHERE " + notBehind());
    }

    /** The SQL condition under which the new row ({@code excluded}) ranks at least as high as the stored one. */
    private String notBehind() {
        String condition = null;
        for (int i = ranking.size() - 1; i >= 0; i--) {
            String mine = ranking.get(i).apply("excluded");
            String stored = ranking.get(i).apply(name);
            condition = condition == null ? mine + " >= " + stored
                    : mine + " > " + stored + " OR (" + mine + " = " + stored + " AND "
                    + (i == ranking.size() - 2 ? condition : "(" + condition + ")") + ")";
        }
        return condition;
    }

    /** The name of the temporary table a bulk load appends this table's rows to. */
    String bulkName() {
        requireStaged();
        return "bulk_" + name;
    }

    /**
     * The CREATE statement of the bulk staging table: a temporary table without constraints holding the staged
     * columns and, when {@link #arrivalMatters}, the rows' arrival numbers.
     */
    String bulkStagingDdl() {
        return "CREATE TEMP TABLE " + bulkName() + " (" + stagedColumnsDdl() + (arrivalMatters ? ", " + ARRIVAL + " BIGINT" : "")
                + ")";
    }

    /**
     * Fills the empty table from its bulk staging table in one set-based statement, to what upserting the staged rows
     * one by one in arrival order would leave: per key, the increments summed and the other values those of the
     * last row that did not rank behind the stored one ({@link #replacedUnlessBehindIn}); every row of a table without
     * a key, in arrival order. Rows are written in key order. {@code writeTime} as in {@link #mergeStatement}.
     */
    String buildStatement(String writeTime) {
        List<Column<R>> keys = keys();
        String converted = stagedColumns.stream()
                .map(c -> c.fromStaged().equals(c.name()) ? c.name() : c.fromStaged() + " AS " + c.name())
                .collect(Collectors.joining(", ")) + (arrivalMatters ? ", " + ARRIVAL : "");
        String from = " FROM (SELECT " + converted + " FROM " + bulkName() + ") AS " + name;
        if (keys.isEmpty() || !upsert) {
            return "INSERT INTO " + name + " SELECT " + select(writeTime, c -> c.name()) + from
                    + (arrivalMatters ? " ORDER BY " + ARRIVAL : "");
        }
        String byKey = names(keys);
        if (!arrivalMatters) {
            return "INSERT INTO " + name + " SELECT " + select(writeTime, c -> "sum(" + c.name() + ")") + from
                    + " GROUP BY " + byKey + " ORDER BY " + byKey;
        }
        String latestFirst = Stream.concat(ranking.stream().map(r -> r.apply(name)), Stream.of(ARRIVAL))
                .map(e -> e + " DESC").collect(Collectors.joining(", "));
        return "INSERT INTO " + name + " SELECT "
                + select(writeTime, c -> "sum(" + c.name() + ") OVER (PARTITION BY " + byKey + ")") + from
                + " QUALIFY row_number() OVER (PARTITION BY " + byKey + " ORDER BY " + latestFirst + ") = 1"
                + " ORDER BY " + byKey;
    }

    /** The table's columns in order as the build selects them: increments as {@code increment} says. */
    private String select(String writeTime, Function<Column<R>, String> increment) {
        return columns.stream().map(c -> switch (c.role()) {
            case KEY, VALUE -> c.name();
            case INCREMENT -> increment.apply(c);
            case WRITE_TIME -> writeTime;
        }).collect(Collectors.joining(", "));
    }

    /** This table's record in {@code row}, or null when the row is for another table. */
    R recordOf(TableRow row) {
        return fromRow.apply(row);
    }

    /** Appends {@code record} to the staging table, one value per staged column in the staging table's order. */
    void stage(DuckDBAppender appender, R record) throws SQLException {
        appender.beginRow();
        appendStaged(appender, record);
        appender.endRow();
    }

    /** Appends {@code record} to the bulk staging table, numbered {@code arrival} when {@link #arrivalMatters}. */
    void bulkStage(DuckDBAppender appender, R record, long arrival) throws SQLException {
        appender.beginRow();
        appendStaged(appender, record);
        if (arrivalMatters) {
            appender.append(arrival);
        }
        appender.endRow();
    }

    private void appendStaged(DuckDBAppender appender, R record) throws SQLException {
        for (int i = 0; i < stagedColumns.size(); i++) {
            append(appender, stagedColumns.get(i).value().apply(record));
        }
    }

    private void requireStaged() {
        if (stagingName == null) {
            throw new IllegalStateException(name + " is not written through a staging table");
        }
    }

    private static void append(DuckDBAppender appender, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof String s) {
            appender.append(s);
        } else if (value instanceof Long l) {
            appender.append(l.longValue());
        } else if (value instanceof Integer i) {
            appender.append(i.intValue());
        } else if (value instanceof Double d) {
            appender.append(d.doubleValue());
        } else if (value instanceof Boolean b) {
            appender.append(b.booleanValue());
        } else {
            throw new IllegalArgumentException("no DuckDB staging for a " + value.getClass().getName());
        }
    }

    private static <R> String names(List<Column<R>> columns) {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }
}
