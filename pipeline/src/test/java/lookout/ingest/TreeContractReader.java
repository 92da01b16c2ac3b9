package lookout.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * The reader the first operator used before {@link JsonContractReader} streamed: a Jackson tree, then the schema
 * walked over it. Kept only as the oracle the streaming reader is compared with.
 */
final class TreeContractReader {
    /**
     * A key given twice is refused rather than letting the last one win: otherwise a line could carry one
     * event_id for whoever reads it first and another for Lookout.
     */
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    public SpecificRecordBase read(byte[] line) throws Rejection {
        if (!Utf8.isValid(line)) {
            throw new Rejection("invalid_utf8", null);
        }
        JsonNode root;
        try (JsonParser parser = mapper.createParser(line)) {
            root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new Rejection("not_json_or_avro", null);
            }
        } catch (MismatchedInputException e) {
            // Trailing content is checked above, so the only mismatch reading a tree meets is a duplicate key.
            throw new Rejection("duplicate_key", null);
        } catch (IOException e) {
            throw new Rejection("not_json_or_avro", null);
        }
        if (root == null || root.isMissingNode()) {
            throw new Rejection("not_json_or_avro", null);
        }
        if (!root.isObject()) {
            throw new Rejection("not_an_object", null);
        }
        Source source = readSource(root);
        return (SpecificRecordBase) record(root, Contract.schema(source), "", source);
    }

    private static Source readSource(JsonNode root) throws Rejection {
        JsonNode s = root.get("source");
        if (s == null || s.isNull()) {
            throw Rejection.missing("source", null);
        }
        if (!s.isTextual()) {
            throw Rejection.wrongType("source", null);
        }
        return Source.fromCode(s.textValue()).orElseThrow(() -> new Rejection("unknown_source", null));
    }

    private Object record(JsonNode node, Schema schema, String prefix, Source source) throws Rejection {
        SpecificRecordBase record = (SpecificRecordBase) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String name = prefix + field.name();
            JsonNode value = node.get(field.name());
            if (value == null || value.isNull()) {
                record.put(field.pos(), absent(field, name, source));
            } else {
                record.put(field.pos(), value(value, field.schema(), name, source));
            }
        }
        return record;
    }

    private static Object absent(Schema.Field field, String name, Source source) throws Rejection {
        return switch (field.schema().getType()) {
            case UNION -> null;
            case ARRAY -> new ArrayList<>();
            default -> throw Rejection.missing(name, source);
        };
    }

    private Object value(JsonNode value, Schema schema, String name, Source source) throws Rejection {
        switch (schema.getType()) {
            case UNION:
                return value(value, nonNullBranch(schema), name, source);
            case STRING:
                if (value.isTextual()) {
                    return value.textValue();
                }
                break;
            case INT:
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    return value.intValue();
                }
                break;
            case DOUBLE:
                if (value.isNumber()) {
                    return value.doubleValue();
                }
                break;
            case ARRAY:
                if (value.isArray()) {
                    List<Object> items = new ArrayList<>(value.size());
                    for (JsonNode item : value) {
                        if (item.isNull()) {
                            throw Rejection.wrongType(name, source);
                        }
                        items.add(value(item, schema.getElementType(), name, source));
                    }
                    return items;
                }
                break;
            case RECORD:
                if (value.isObject()) {
                    return record(value, schema, name + ".", source);
                }
                break;
            default:
                throw new IllegalStateException("contract schema uses an unsupported type " + schema.getType());
        }
        throw Rejection.wrongType(name, source);
    }

    private static Schema nonNullBranch(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("union without a non-null branch");
    }
}
