package lookout.ingest;

import java.util.EnumMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

import lookout.schema.CoronerEvent;
import lookout.schema.DrugCheckingEvent;
import lookout.schema.NaloxoneEvent;
import lookout.schema.ParamedicEvent;

/** The input contract: which Avro record mirrors each source's events. */
public final class Contract {
    private static final Map<Source, Schema> SCHEMAS = new EnumMap<>(Map.of(
            Source.PARAMEDIC, ParamedicEvent.getClassSchema(),
            Source.CORONER, CoronerEvent.getClassSchema(),
            Source.NALOXONE, NaloxoneEvent.getClassSchema(),
            Source.DRUG_CHECKING, DrugCheckingEvent.getClassSchema()));

    private Contract() {}

    public static Schema schema(Source source) {
        return SCHEMAS.get(source);
    }

    public static Source sourceOf(SpecificRecordBase record) {
        if (record instanceof ParamedicEvent) {
            return Source.PARAMEDIC;
        }
        if (record instanceof CoronerEvent) {
            return Source.CORONER;
        }
        if (record instanceof NaloxoneEvent) {
            return Source.NALOXONE;
        }
        if (record instanceof DrugCheckingEvent) {
            return Source.DRUG_CHECKING;
        }
        throw new IllegalArgumentException("not a contract record: " + record.getSchema().getFullName());
    }
}
