package lookout.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Every released form of each message schema of the contract, kept as resources {@code released/NAME/1.avsc},
 * {@code 2.avsc}, ... beside this class (oldest first, each whole, with the records it uses), so that a reader built
 * with the current schema still reads what a producer on an earlier one wrote, and what Lookout itself put on a topic
 * before an upgrade: Avro resolves the writer's form, named by its fingerprint, to the current one.
 */
public final class ReleasedSchemas {
    private ReleasedSchemas() {}

    /** The released forms of the record {@code current} is the schema of, oldest first. */
    public static List<Schema> of(Schema current) {
        List<Schema> released = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = resource(current.getName(), version);
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return released;
                }
                released.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the released schema " + resource, e);
            }
        }
    }

    /** Where the given version of a record's released schema is kept, relative to this class. */
    static String resource(String recordName, int version) {
        return "released/" + recordName + "/" + version + ".avsc";
    }
}
