package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AreaNamesTest {
    @TempDir
    Path dir;

    @Test
    void namesComeFromThePublishedSnapshotAndANewSnapshotIsReadWhenItReplacesTheOld() throws Exception {
        Path published = PublishedDb.withAreas(dir.resolve("lookout.duckdb"),
                Map.of("073", "Moss Park", "074", "North St.James Town"));
        AreaNames names = AreaNames.fromSnapshot(published);
        assertEquals("Moss Park", names.name("073"));
        assertEquals("area 999", names.name("999"));

        Path next = PublishedDb.withAreas(dir.resolve("next.duckdb"),
                Map.of("073", "Moss Park", "999", "Tam O'Shanter-Sullivan"));
        Files.move(next, published, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("Tam O'Shanter-Sullivan", names.name("999"));
    }

    @Test
    void aTexterFindsAnAreaWithoutItsApostrophesOrByTheFirstWordsOfOneNameOnly() {
        AreaNames names = AreaNames.of(Map.of("027", "Tam O'Shanter-Sullivan", "040", "Larkspur Commons",
                "041", "Mount Pleasant East", "042", "Mount Pleasant West", "043", "Wren\u2019s Corner"));
        assertEquals(Optional.of("027"), names.find("tam oshanter sullivan"));
        assertEquals(Optional.of("027"), names.find("Tam O'Shanter"), "the first words of one name");
        assertEquals(Optional.of("043"), names.find("Wrens Corner"));
        assertEquals(Optional.of("043"), names.find("wren's corner"));
        assertEquals(Optional.of("040"), names.find("LARKSPUR"));
        assertEquals(Optional.empty(), names.find("Mount Pleasant"), "the first words of two names: neither");
        assertEquals(Optional.empty(), names.find("Lark"), "a part of a word is no word");
    }

    @Test
    void withoutASnapshotAreasAreNamedById() {
        assertEquals("area 073", AreaNames.fromSnapshot(dir.resolve("absent.duckdb")).name("073"));
        assertEquals("area 073", AreaNames.of(Map.of()).name("073"));
    }
}
