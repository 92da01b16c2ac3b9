package lookout.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one NDJSON line into the contract's Avro record for its source, checking types against the schema.
 * Fields the contract does not name are never read, so unknown extras are ignored by construction.
 *
 * <p>The line is read as a stream of tokens, once, into reused slots for the fields some contract names (no
 * tree of the whole line), and the source's schema is then checked over the slots. Every value is still read as
 * a JSON tree reader would read it, so a line is refused for the same first fault: a syntax error or a key given
 * twice (found where a tree finds it) anywhere in the line comes before trailing content, which comes before too
 * many list items ({@link ItemLimit}), which comes before any fault of the contract, which are judged in the
 * schema's field order.
 * One instance per thread: the slots are reused from line to line.
 */
public final class JsonContractReader {
    private static final JsonFactory JSON = new JsonFactory();
    /**
     * A key given twice is refused rather than letting the last one win: otherwise a line could carry one event_id
     * for whoever reads it first and another for Lookout.
     */
    private static final Rejection DUPLICATE_KEY = new Rejection("duplicate_key", null);
    private static final Rejection TOO_MANY_ITEMS = new Rejection(ItemLimit.TOO_MANY_ITEMS, null);

    /** What a slot holds, as far as the schema's checks need to know. */
    private enum Kind { ABSENT, NULL, TEXT, INT, OTHER_INTEGER, FLOAT, OBJECT, ARRAY, OTHER }

    private final Fields root = new Fields(Shape.root());
    /** Key sets of the objects no contract field describes, one per nesting depth, reused. */
    private final List<Set<String>> skippedKeys = new ArrayList<>();
    /** Items of the contract's lists read so far in this line; those over {@link ItemLimit#MAX_ITEMS} are skipped. */
    private int listItems;

    public SpecificRecordBase read(byte[] line) throws Rejection {
        if (!Utf8.isValid(line)) {
            throw new Rejection("invalid_utf8", null);
        }
        JsonToken first;
        listItems = 0;
        try (JsonParser parser = JSON.createParser(line)) {
            first = parser.nextToken();
            if (first == null) {
                throw new Rejection("not_json_or_avro", null);
            }
            if (first == JsonToken.START_OBJECT) {
                readObject(parser, root);
            } else {
                skipValue(parser, first, 0);
            }
            if (parser.nextToken() != null) {
                throw new Rejection("not_json_or_avro", null);
            }
        } catch (IOException e) {
            throw new Rejection("not_json_or_avro", null);
        }
        if (first != JsonToken.START_OBJECT) {
            throw new Rejection("not_an_object", null);
        }
        if (listItems > ItemLimit.MAX_ITEMS) {
            throw TOO_MANY_ITEMS;
        }
        Source source = readSource();
        return (SpecificRecordBase) record(root, Contract.schema(source), "", source);
    }

    private Source readSource() throws Rejection {
        Slot s = root.slot("source");
        if (s.kind == Kind.ABSENT || s.kind == Kind.NULL) {
            throw Rejection.missing("source", null);
        }
        if (s.kind != Kind.TEXT) {
            throw Rejection.wrongType("source", null);
        }
        return Source.fromCode(s.text).orElseThrow(() -> new Rejection("unknown_source", null));
    }

    /** Reads the object whose START_OBJECT the parser is on into {@code into}'s slots. */
    private void readObject(JsonParser p, Fields into) throws IOException, Rejection {
        into.clear();
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Integer position = into.shape.positions.get(name);
            JsonToken value = next(p);
            Slot slot = position == null ? null : into.slots[position];
            boolean repeated = slot == null ? !into.otherKeys().add(name) : slot.kind != Kind.ABSENT;
            checkRepeat(repeated, value, true);
            if (slot == null) {
                skipValue(p, value, 0);
            } else {
                readValue(p, value, slot, into.shape.schemas[position]);
            }
            checkRepeat(repeated, value, false);
        }
    }

    /** Reads the value the parser is on into {@code slot}, as far as {@code schema} (a field's) needs it. */
    private void readValue(JsonParser p, JsonToken token, Slot slot, Schema schema) throws IOException, Rejection {
        Schema type = nonNull(schema);
        switch (token) {
            case VALUE_NULL -> slot.kind = Kind.NULL;
            case VALUE_STRING -> {
                slot.kind = Kind.TEXT;
                slot.text = p.getText();
            }
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType n = p.getNumberType();
                slot.kind = n == JsonParser.NumberType.INT ? Kind.INT : Kind.OTHER_INTEGER;
                if (n == JsonParser.NumberType.INT) {
                    slot.intValue = p.getIntValue();
                }
                if (type.getType() == Schema.Type.DOUBLE) {
                    slot.doubleValue = switch (n) {
                        case INT -> slot.intValue;
                        case LONG -> p.getLongValue();
                        default -> p.getBigIntegerValue().doubleValue();
                    };
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                slot.kind = Kind.FLOAT;
                if (type.getType() == Schema.Type.DOUBLE) {
                    slot.doubleValue = p.getDoubleValue();
                }
            }
            case START_OBJECT -> {
                if (type.getType() == Schema.Type.RECORD) {
                    slot.kind = Kind.OBJECT;
                    readObject(p, slot.fields(type));
                } else {
                    slot.kind = Kind.OTHER;
                    skipValue(p, token, 0);
                }
            }
            case START_ARRAY -> {
                if (type.getType() == Schema.Type.ARRAY) {
                    slot.kind = Kind.ARRAY;
                    slot.count = 0;
                    Schema items = type.getElementType();
                    for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
                        if (++listItems > ItemLimit.MAX_ITEMS) {
                            // Read on only for the line's first fault, holding nothing: the line is refused anyway.
                            skipValue(p, t, 0);
                        } else {
                            readValue(p, t, slot.item(slot.count++), items);
                        }
                    }
                } else {
                    slot.kind = Kind.OTHER;
                    skipValue(p, token, 0);
                }
            }
            default -> slot.kind = Kind.OTHER;
        }
    }

    /**
     * Reads past the value the parser is on, reading what a tree reader reads of it: every string decoded, every
     * key of every object checked for repeats (once its value is read, as a tree adds it).
     */
    private void skipValue(JsonParser p, JsonToken token, int depth) throws IOException, Rejection {
        switch (token) {
            case VALUE_STRING -> p.getText();
            case START_ARRAY -> {
                for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
                    skipValue(p, t, depth + 1);
                }
            }
            case START_OBJECT -> {
                Set<String> keys = keysAt(depth);
                keys.clear();
                while (next(p) == JsonToken.FIELD_NAME) {
                    boolean repeated = !keys.add(p.currentName());
                    JsonToken value = next(p);
                    checkRepeat(repeated, value, true);
                    skipValue(p, value, depth + 1);
                    checkRepeat(repeated, value, false);
                }
            }
            default -> {
                // A number, true, false or null: nothing to check.
            }
        }
    }

    /**
     * Refuses a repeated key where a tree reader finds it: at the start of an object or array value (it adds the
     * container before filling it), after a scalar value (it reads the scalar, then adds it).
     */
    private static void checkRepeat(boolean repeated, JsonToken value, boolean atStart) throws Rejection {
        if (repeated && atStart == (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
            throw DUPLICATE_KEY;
        }
    }

    /** The next token inside an object or array, where the parser itself refuses an end of input. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("end of input inside an object or array");
        }
        return t;
    }

    private Set<String> keysAt(int depth) {
        while (skippedKeys.size() <= depth) {
            skippedKeys.add(new HashSet<>());
        }
        return skippedKeys.get(depth);
    }

    /** @param name the field whose value the record is ("location"), or "" for the line's record */
    private Object record(Fields fields, Schema schema, String name, Source source) throws Rejection {
        SpecificRecordBase record = (SpecificRecordBase) SpecificData.get().newRecord(null, schema);
        Plan plan = fields.plan(schema, name);
        for (int i = 0; i < plan.fields.length; i++) {
            Schema.Field field = plan.fields[i];
            Slot value = fields.slots[plan.slots[i]];
            if (value.kind == Kind.ABSENT || value.kind == Kind.NULL) {
                record.put(field.pos(), absent(field, plan.prefix, source));
            } else {
                record.put(field.pos(), value(value, field.schema(), plan.names[i], source));
            }
        }
        return record;
    }

    private static Object absent(Schema.Field field, String prefix, Source source) throws Rejection {
        return switch (field.schema().getType()) {
            case UNION -> null;
            case ARRAY -> new ArrayList<>();
            default -> throw Rejection.missing(prefix + field.name(), source);
        };
    }

    private Object value(Slot value, Schema schema, String name, Source source) throws Rejection {
        switch (schema.getType()) {
            case UNION:
                return value(value, nonNull(schema), name, source);
            case STRING:
                if (value.kind == Kind.TEXT) {
                    return value.text;
                }
                break;
            case INT:
                if (value.kind == Kind.INT) {
                    return value.intValue;
                }
                break;
            case DOUBLE:
                if (value.kind == Kind.INT || value.kind == Kind.OTHER_INTEGER || value.kind == Kind.FLOAT) {
                    return value.doubleValue;
                }
                break;
            case ARRAY:
                if (value.kind == Kind.ARRAY) {
                    List<Object> items = new ArrayList<>(value.count);
                    for (int i = 0; i < value.count; i++) {
                        Slot item = value.items.get(i);
                        if (item.kind == Kind.NULL) {
                            throw Rejection.wrongType(name, source);
                        }
                        items.add(value(item, schema.getElementType(), name, source));
                    }
                    return items;
                }
                break;
            case RECORD:
                if (value.kind == Kind.OBJECT) {
                    return record(value.fields, schema, name, source);
                }
                break;
            default:
                throw new IllegalStateException("contract schema uses an unsupported type " + schema.getType());
        }
        throw Rejection.wrongType(name, source);
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("union without a non-null branch");
    }

    /**
     * The fields some contract names in one kind of object: the top level (the union of the sources'
     * fields) or a nested record. A name means one schema whichever source's record it is in.
     */
    private static final class Shape {
        final Map<String, Integer> positions = new HashMap<>();
        final List<String> names = new ArrayList<>();
        Schema[] schemas;

        static Shape root() {
            Shape shape = new Shape();
            for (Source source : Source.values()) {
                shape.addAll(Contract.schema(source));
            }
            return shape;
        }

        static Shape of(Schema record) {
            Shape shape = new Shape();
            shape.addAll(record);
            return shape;
        }

        private void addAll(Schema record) {
            List<Schema> list = schemas == null ? new ArrayList<>() : new ArrayList<>(List.of(schemas));
            for (Schema.Field field : record.getFields()) {
                Integer known = positions.get(field.name());
                if (known == null) {
                    positions.put(field.name(), names.size());
                    names.add(field.name());
                    list.add(field.schema());
                } else if (!list.get(known).equals(field.schema())) {
                    throw new IllegalStateException("contract field " + field.name() + " has two schemas");
                }
            }
            schemas = list.toArray(Schema[]::new);
        }
    }

    /**
     * How a record schema is read from an object's slots: each field's slot and its name as a fault names it
     * ("location.lat"), looked up once rather than by name for every field of every line.
     */
    private static final class Plan {
        final String prefix;
        final Schema.Field[] fields;
        final int[] slots;
        final String[] names;

        Plan(Shape shape, Schema schema, String name) {
            prefix = name.isEmpty() ? "" : name + ".";
            fields = schema.getFields().toArray(Schema.Field[]::new);
            slots = new int[fields.length];
            names = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                slots[i] = shape.positions.get(fields[i].name());
                names[i] = prefix + fields[i].name();
            }
        }
    }

    /** One object's slots, one per field its shape names, and the other keys it had (to find repeats). */
    private static final class Fields {
        final Shape shape;
        final Slot[] slots;
        private Set<String> otherKeys;
        /**
         * By record schema (the sources' at the top level, one below): an object's slots are always read at
         * the same place in a line, so as the same field.
         */
        private final Map<Schema, Plan> plans = new IdentityHashMap<>();

        Fields(Shape shape) {
            this.shape = shape;
            this.slots = new Slot[shape.names.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new Slot();
            }
        }

        Slot slot(String name) {
            return slots[shape.positions.get(name)];
        }

        Plan plan(Schema schema, String name) {
            Plan plan = plans.get(schema);
            if (plan == null) {
                plan = new Plan(shape, schema, name);
                plans.put(schema, plan);
            }
            return plan;
        }

        Set<String> otherKeys() {
            if (otherKeys == null) {
                otherKeys = new HashSet<>();
            }
            return otherKeys;
        }

        /** Forgets the last line's values, so none of its text outlives it here. */
        void clear() {
            for (Slot s : slots) {
                s.clear();
            }
            if (otherKeys != null) {
                otherKeys.clear();
            }
        }
    }

    /** One value, held as far as the schema's checks and the record need it. */
    private static final class Slot {
        Kind kind = Kind.ABSENT;
        String text;
        int intValue;
        double doubleValue;
        /** An object's fields, for a field whose schema is a record. */
        Fields fields;
        /** An array's items, for a field whose schema is an array: the first {@code count}. */
        final List<Slot> items = new ArrayList<>();
        int count;

        Fields fields(Schema record) {
            if (fields == null) {
                fields = new Fields(Shape.of(record));
            }
            return fields;
        }

        Slot item(int index) {
            if (index == items.size()) {
                items.add(new Slot());
            }
            return items.get(index);
        }

        void clear() {
            if (kind == Kind.OBJECT) {
                fields.clear();
            } else if (kind == Kind.ARRAY) {
                for (int i = 0; i < count; i++) {
                    items.get(i).clear();
                }
                count = 0;
            }
            kind = Kind.ABSENT;
            text = null;
        }
    }
}
