package lookout.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads a DuckDB file the way an analyst would: read-only, from outside the pipeline. */
public final class Db {
    private Db() {}

    /** Each row as its columns joined by '|'. */
    public static List<String> query(Path db, String sql) throws Exception {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    public static long count(Path db, String sql) throws Exception {
        return Long.parseLong(query(db, sql).get(0));
    }
}
