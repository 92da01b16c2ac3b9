package lookout.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.kernel.UsageException;

/**
 * One of the detection benchmark's CSV files, R's write.csv output (commas, no embedded commas, strings in double
 * quotes): its header's columns and its rows, whose cells are read by column name. A cell that is not what its
 * column holds is one line naming the file, the line and the column.
 */
final class BenchmarkCsv {
    private final Path file;
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private BenchmarkCsv(Path file, Map<String, Integer> columns, List<Row> rows) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
    }

    /** The file's rows after its header, which must have the {@code required} columns. */
    static BenchmarkCsv read(Path file, String... required) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        String[] header = null;
        List<Row> rows = new ArrayList<>();
        BenchmarkCsv csv = new BenchmarkCsv(file, new LinkedHashMap<>(), rows);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = splitCsv(lines.get(i));
            if (header == null) {
                header = cells;
            } else if (cells.length != header.length) {
                throw new UsageException(file.getFileName() + " line " + (i + 1) + ": " + cells.length
                        + " fields where the header has " + header.length);
            } else {
                rows.add(csv.new Row(i + 1, cells));
            }
        }
        if (header == null) {
            throw new UsageException(file.getFileName() + " is empty");
        }
        for (int i = 0; i < header.length; i++) {
            csv.columns.put(header[i], i);
        }
        for (String name : required) {
            if (!csv.columns.containsKey(name)) {
                throw new UsageException(file.getFileName() + " has no column " + name);
            }
        }
        return csv;
    }

    private static String[] splitCsv(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].strip();
            cells[i] = c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c;
        }
        return cells;
    }

    List<Row> rows() {
        return rows;
    }

    /** The rows, refusing a file of a header alone: every figure scored from it would be NaN. */
    List<Row> requireRows() {
        if (rows.isEmpty()) {
            throw new UsageException(file.getFileName() + " has no rows after its header");
        }
        return rows;
    }

    /** One row and the line it is on (the header is line 1; blank lines count too). */
    final class Row {
        private final int line;
        private final String[] cells;

        private Row(int line, String[] cells) {
            this.line = line;
            this.cells = cells;
        }

        String text(String column) {
            return cells[columns.get(column)];
        }

        int integer(String column) {
            try {
                return Integer.parseInt(text(column));
            } catch (NumberFormatException e) {
                throw error(column, "expected a whole number");
            }
        }

        /** A finite number: R writes a missing one as NA, which no figure can use. */
        double number(String column) {
            double v;
            try {
                v = Double.parseDouble(text(column));
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                throw error(column, "expected a number");
            }
            return v;
        }

        boolean flag(String column) {
            int v = integer(column);
            if (v != 0 && v != 1) {
                throw error(column, "expected 0 or 1");
            }
            return v == 1;
        }

        LocalDate date(String column) {
            try {
                return LocalDate.parse(text(column));
            } catch (DateTimeParseException e) {
                throw error(column, "expected a date as YYYY-MM-DD");
            }
        }

        /** A user's error about this row's cell in {@code column}, saying where it is. */
        UsageException error(String column, String what) {
            return new UsageException(file.getFileName() + " line " + line + ", column " + column + ": " + what);
        }
    }
}
