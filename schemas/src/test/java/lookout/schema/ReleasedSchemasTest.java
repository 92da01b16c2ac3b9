package lookout.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link ReleasedSchemas} whole: a message schema of the contract that changes without its earlier form kept
 * would leave readers unable to read what producers on that form write, or what Lookout put on a topic before.
 */
class ReleasedSchemasTest {
    private static final Path CONTRACT = Path.of("src/main/avro/contract");
    private static final Path RELEASED = Path.of("src/main/resources/lookout/schema/released");

    /** The contract's messages as its files declare them: the records that no other record of it holds. */
    private static List<Schema> messages() throws IOException {
        SchemaParser parser = new SchemaParser();
        try (Stream<Path> files = Files.list(CONTRACT)) {
            for (Path file : files.sorted().toList()) {
                parser.parse(file);
            }
        }
        List<Schema> records = parser.getParsedNamedSchemas();
        Set<String> parts = new HashSet<>();
        for (Schema record : records) {
            for (Schema.Field field : record.getFields()) {
                collectRecords(field.schema(), parts);
            }
        }
        return records.stream().filter(r -> !parts.contains(r.getFullName())).toList();
    }

    private static void collectRecords(Schema schema, Set<String> into) {
        switch (schema.getType()) {
            case RECORD -> {
                if (into.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectRecords(f.schema(), into));
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectRecords(t, into));
            case ARRAY -> collectRecords(schema.getElementType(), into);
            case MAP -> collectRecords(schema.getValueType(), into);
            default -> { }
        }
    }

    private static String file(Schema message, int version) {
        return "schemas/src/main/resources/lookout/schema/" + ReleasedSchemas.resource(message.getName(), version);
    }

    @Test
    void everyMessageOfTheContractIsReleasedInItsCurrentForm() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Schema message : messages()) {
            List<Schema> released = ReleasedSchemas.of(message);
            long current = SchemaNormalization.parsingFingerprint64(message);
            if (released.stream().noneMatch(r -> SchemaNormalization.parsingFingerprint64(r) == current)) {
                String kept = released.isEmpty() ? ""
                        : ", and keep every earlier version: producers still on one write it, and the topics hold it";
                problems.add(message.getName() + " is not released in its current form: add "
                        + file(message, released.size() + 1) + kept + ". The file holds the schema whole:\n"
                        + SchemaFormatter.format("json/pretty", message));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyReleasedFormIsReadAsTheCurrentSchema() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Schema message : messages()) {
            List<Schema> released = ReleasedSchemas.of(message);
            for (int i = 0; i < released.size(); i++) {
                SchemaCompatibility.SchemaPairCompatibility pair =
                        SchemaCompatibility.checkReaderWriterCompatibility(message, released.get(i));
                if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(file(message, i + 1) + " cannot be read as the current " + message.getName() + " ("
                            + pair.getResult().getIncompatibilities().stream()
                                    .map(x -> x.getType() + " " + x.getMessage() + " at " + x.getLocation()).toList()
                            + "): change the schema so that Avro resolves every released form to it (add a field"
                            + " only with a default, remove only a field that had one, widen a type only as Avro"
                            + " promotes it); never edit or remove a released form");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void eachMessagesFormsAreNumberedFromOneAndNameIt() throws IOException {
        List<String> messages = messages().stream().map(Schema::getName).sorted().toList();
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            assertEquals(messages, dirs.map(d -> d.getFileName().toString()).sorted().toList(),
                    "a directory of released forms for each message of the contract and for nothing else");
        }
        for (Schema message : messages()) {
            List<Schema> released = ReleasedSchemas.of(message);
            try (Stream<Path> files = Files.list(RELEASED.resolve(message.getName()))) {
                assertEquals(IntStream.rangeClosed(1, released.size()).mapToObj(v -> v + ".avsc").toList(),
                        files.map(f -> f.getFileName().toString()).sorted().toList(),
                        message.getName() + ": versions are read from 1.avsc up to the first missing number");
            }
            assertEquals(List.of(), released.stream().map(Schema::getFullName)
                    .filter(name -> !name.equals(message.getFullName())).toList(), message.getName());
        }
    }
}
