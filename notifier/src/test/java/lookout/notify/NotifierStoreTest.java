package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's files after a crash in the middle of writing a line. */
class NotifierStoreTest {
    private static final String TORN = "{\"key\":\"s0/opened/desk/webhook1\",\"spike_id\":\"s0\",\"ste";

    @TempDir
    Path dir;
    /** What the store told the operator when it was opened. */
    private final List<String> warnings = new ArrayList<>();

    @Test
    void aRecordAppendedAfterATornLineIsALineOfItsOwnAndIsReadAfterTheNextRestart() throws Exception {
        Files.writeString(dir.resolve("steps.ndjson"), "{\"spike_id\":\"s0\",\"ki");
        Files.writeString(dir.resolve("deliveries.ndjson"), TORN);
        try (NotifierStore store = NotifierStore.open(dir, warnings::add)) {
            store.addStep(Steps.opened("s1"));
            store.record(new Delivery("s1/opened/desk/webhook1", "s1", "opened", "desk/webhook1",
                    Delivery.Outcome.DELIVERED, null, 1, 1_000L, 0));
        }
        try (NotifierStore reopened = NotifierStore.open(dir, warnings::add)) {
            assertEquals(List.of(Steps.opened("s1")), reopened.steps());
            assertEquals(List.of("s1/opened/desk/webhook1"), reopened.log().stream().map(Delivery::key).toList());
        }
        assertEquals(List.of(), warnings, "a line cut short by a crash is the usual case, at the end or, once ended, "
                + "in the middle: not told at every start");
        List<String> lines = Files.readAllLines(dir.resolve("deliveries.ndjson"));
        assertEquals(2, lines.size());
        assertEquals(TORN, lines.get(0), "the torn line stays as it was, ended by a newline");
    }

    /** A crash between a line and its newline: the line is whole and still read. */
    @Test
    void aWholeLineWithoutItsNewlineIsKept() throws Exception {
        try (NotifierStore store = NotifierStore.open(dir, Assertions::fail)) {
            store.addStep(Steps.opened("s1"));
        }
        String journal = Files.readString(dir.resolve("steps.ndjson"));
        Files.writeString(dir.resolve("steps.ndjson"), journal.strip());
        try (NotifierStore store = NotifierStore.open(dir, Assertions::fail)) {
            store.addStep(Steps.worsened("s1"));
        }
        try (NotifierStore reopened = NotifierStore.open(dir, Assertions::fail)) {
            assertEquals(List.of(Steps.opened("s1"), Steps.worsened("s1")), reopened.steps());
        }
    }

    /**
     * A journal damaged on disk, edited by hand or written by a later build: a line that is JSON but no record (one
     * with a {@code kind} this build does not know), one whose bytes are not UTF-8, and one of 20 MB. They used to
     * stop every start of the notifier ("failed: IllegalArgumentException: No enum constant
     * lookout.notify.AlertStep.Kind.", or "cannot open the notifier's store …: Input length = 1"), then were passed
     * over without a word, so the operator never learnt why a step was missing or a message sent twice. A line cut
     * short at the end, as a crash leaves it, is passed over as well but not counted.
     */
    @Test
    void linesThatAreNotRecordsArePassedOverCountedOnceAtStartAndTheRecordsAroundThemRead() throws Exception {
        try (NotifierStore store = NotifierStore.open(dir, Assertions::fail)) {
            store.addStep(Steps.opened("s1"));
            store.record(new Delivery("s1/opened/desk/webhook1", "s1", "opened", "desk/webhook1",
                    Delivery.Outcome.DELIVERED, null, 1, 1_000L, 0));
        }
        byte[] notUtf8 = {(byte) 0xFF, (byte) 0xFE, '{', '}', '\n'};
        for (String file : List.of("steps.ndjson", "deliveries.ndjson")) {
            Path journal = dir.resolve(file);
            Files.write(journal, notUtf8, StandardOpenOption.APPEND);
            Files.writeString(journal, "123\n{\"kind\":\"reopened\"}\n{}\n" + "x".repeat(20_000_000) + "\n"
                    + "{\"spike_id\":\"s9\",\"ki", StandardOpenOption.APPEND);
        }
        try (NotifierStore store = NotifierStore.open(dir, warnings::add)) {
            store.addStep(Steps.worsened("s1"));
        }
        String tail = " that are not records (damaged, edited by hand or written by a later build)";
        List<String> told = List.of("passed over 5 lines of " + dir.resolve("steps.ndjson") + tail,
                "passed over 5 lines of " + dir.resolve("deliveries.ndjson") + tail);
        assertEquals(told, warnings);
        warnings.clear();
        try (NotifierStore reopened = NotifierStore.open(dir, warnings::add)) {
            assertEquals(List.of(Steps.opened("s1"), Steps.worsened("s1")), reopened.steps());
            assertEquals(List.of("s1/opened/desk/webhook1"), reopened.log().stream().map(Delivery::key).toList());
        }
        assertEquals(told, warnings, "told again at the next start, the line once ended not counted");
    }

    /** Read as a digest's day, a damaged digest line stopped every start of the notifier. */
    @Test
    void oneLinePassedOverIsToldInTheSingularADamagedDigestDayToo() throws Exception {
        Files.writeString(dir.resolve("deliveries.ndjson"), "{\"key\":\"k\",\"outcome\":\"bounced\"}\n");
        NotifierStore.open(dir, warnings::add).close();
        assertEquals(List.of("passed over 1 line of " + dir.resolve("deliveries.ndjson") + " that is not a record "
                + "(damaged, edited by hand or written by a later build)"), warnings);
        warnings.clear();
        Files.writeString(dir.resolve("deliveries.ndjson"), "{\"key\":\"" + Digest.STEP + "/2026-13-45/desk/email1\","
                + "\"channel\":\"desk/email1\",\"outcome\":\"delivered\"}\n");
        NotifierStore.open(dir, warnings::add).close();
        assertEquals(List.of("passed over 1 line of " + dir.resolve("deliveries.ndjson") + " that is not a record "
                + "(damaged, edited by hand or written by a later build)"), warnings);
    }
}
