package lookout.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import lookout.detect.AreaEvent;
import lookout.ingest.EventSerializer;

class SerializerTypeInfoTest {
    private static final TypeInformation<String> TEXT = new SerializerTypeInfo<>(String.class, StringSerializer.INSTANCE);

    @Test
    void givesItsOwnSerializerWhateverTheConfig() {
        assertSame(StringSerializer.INSTANCE, TEXT.createSerializer(new SerializerConfigImpl()));
        assertEquals(String.class, TEXT.getTypeClass());
        assertEquals("String", TEXT.toString());
    }

    @Test
    void twoForTheSameClassAndSerializerAreEqual() {
        TypeInformation<String> again = new SerializerTypeInfo<>(String.class, StringSerializer.INSTANCE);
        assertEquals(TEXT, again);
        assertEquals(TEXT.hashCode(), again.hashCode());
    }

    @Test
    void anotherClassOrAnotherKindOfTypeIsNotEqual() {
        assertNotEquals(TEXT, new SerializerTypeInfo<>(Long.class, LongSerializer.INSTANCE));
        assertNotEquals(TEXT, Types.STRING);
        assertNotEquals(Types.STRING, TEXT);
        assertNotEquals(EventSerializer.TYPE, AreaEvent.TYPE);
    }

    @Test
    void aCopyShippedWithTheJobIsEqualAndGivesAnEqualSerializer() throws Exception {
        TypeInformation<String> shipped = InstantiationUtil.clone(TEXT);
        assertEquals(TEXT, shipped);
        assertEquals(StringSerializer.INSTANCE, shipped.createSerializer(new SerializerConfigImpl()));
        assertEquals(EventSerializer.TYPE, InstantiationUtil.clone(EventSerializer.TYPE));
        assertEquals(AreaEvent.TYPE, InstantiationUtil.clone(AreaEvent.TYPE));
    }
}
