package lookout.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.ingest.Source;
import lookout.schema.Hash128;
import lookout.kernel.UsageException;

class PseudonymizerTest {
    private static final PseudonymKey KEY = PseudonymKey.fromBase64(
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()), "test");

    @Test
    void healthNumberFormattingDoesNotChangeThePseudonym() {
        Pseudonymizer p = new Pseudonymizer(KEY);
        Hash128 a = p.person("1234-567-890 ab", null, null);
        assertEquals(a, p.person("1234567890AB", "Someone Else", "1990-01-01"));
        assertEquals(16, a.bytes().length);
    }

    @Test
    void nameAndBirthDateLinkWhenThereIsNoHealthNumber() {
        Pseudonymizer p = new Pseudonymizer(KEY);
        assertEquals(p.person(null, "José  Martínez", "1980-02-03"), p.person("", "jose martinez", "1980-02-03"));
        assertNotEquals(p.person(null, "Jose Martinez", "1980-02-03"), p.person(null, "Jose Martinez", "1980-02-04"));
        assertNull(p.person(null, "Jose Martinez", null));
        assertNull(p.person(null, null, "1980-02-03"));
    }

    @Test
    void placeholdersLinkNobodyAndLeaveTheNameAndBirthDateToDoIt() {
        Pseudonymizer p = new Pseudonymizer(KEY);
        for (String placeholder : List.of("0000000000", "000-000-0000", "9999 999 999", "xxxxxxxxxx", "Unknown",
                "N/A", "none", "0", "no health card", "Refused")) {
            assertNull(p.person(placeholder, null, null), placeholder);
            assertEquals(p.person(null, "Ana Silva", "1991-04-05"), p.person(placeholder, "Ana Silva", "1991-04-05"),
                    placeholder + " falls back to the name and birth date");
        }
        for (String unnamed : List.of("UNKNOWN", "John Doe", "Doe, Jane", "Unidentified", "UNK", "UNK UNK", "N/A",
                "Anonymous", "Unknown Male", "No Name Given", "Patient")) {
            assertNull(p.person(null, unnamed, "1991-04-05"), unnamed);
        }
        for (String undated : List.of("1900-01-01", "0000-00-00", "Unknown", "N/A")) {
            assertNull(p.person(null, "Ana Silva", undated), undated);
        }
        assertEquals(p.person("1234567890", null, null), p.person("1234-567-890", "John Doe", "1900-01-01"),
                "a real number links whatever the name says");
        assertNotNull(p.person("HN-A", null, null), "a short number is still a number");
    }

    @Test
    void anotherKeyGivesUnrelatedPseudonyms() {
        Hash128 a = new Pseudonymizer(KEY).person("1234567890", null, null);
        Hash128 b = new Pseudonymizer(PseudonymKey.ephemeral()).person("1234567890", null, null);
        assertNotEquals(a, b);
    }

    @Test
    void dedupeKeysSeparateSources() {
        Pseudonymizer p = new Pseudonymizer(KEY);
        assertNotEquals(p.dedupeKey(Source.PARAMEDIC.code(), "e1"), p.dedupeKey(Source.NALOXONE.code(), "e1"));
        assertEquals(p.dedupeKey(Source.CORONER.code(), "e1"), p.dedupeKey(Source.CORONER.code(), "e1"));
    }

    @Test
    void keysAreNeverPrintedAndShortKeysAreRefused() {
        assertFalse(KEY.toString().contains("MDEy"));
        assertTrue(KEY.toString().contains("redacted"));
        UsageException e = assertThrows(UsageException.class, () -> PseudonymKey.fromBase64("c2hvcnQ=", "LOOKOUT_PSEUDONYM_KEY"));
        assertEquals("pseudonym key in LOOKOUT_PSEUDONYM_KEY is 5 bytes; at least 32 are required (openssl rand -base64 32)",
                e.getMessage());
    }

    @Test
    void ageBandsAreTopCoded() {
        assertEquals("0-14", AgeBand.of(0));
        assertEquals("0-14", AgeBand.of(14));
        assertEquals("15-24", AgeBand.of(15));
        assertEquals("25-34", AgeBand.of(34));
        assertEquals("65-74", AgeBand.of(74));
        assertEquals("75+", AgeBand.of(75));
        assertEquals("75+", AgeBand.of(101));
        assertNull(AgeBand.of(-1));
        assertNull(AgeBand.of(130));
        assertNull(AgeBand.of((Integer) null));
        assertEquals("35-44", AgeBand.of(java.time.LocalDate.of(1985, 6, 1), java.time.LocalDate.of(2026, 5, 31)));
    }

    /** The pseudonyms are the HMAC of the joined text, however the Pseudonymizer feeds it to the Mac. */
    @Test
    void pseudonymsAreTheHmacOfTheJoinedText() throws Exception {
        Pseudonymizer p = new Pseudonymizer(KEY);
        assertEquals(reference("ev|coroner|e-1 é"), p.dedupeKey(Source.CORONER.code(), "e-1 é"));
        assertEquals(reference("hn|1234567890AB"), p.person("1234-567-890 ab", null, null));
        assertEquals(reference("nd|jose martinez|1980-02-03"), p.person(null, "José Martínez", " 1980-02-03 "));
        assertEquals(reference("ev|coroner|e-1 é"), p.dedupeKey(Source.CORONER.code(), "e-1 é"), "the Mac is left clean");
    }

    /** A key's id is the HMAC of a text no person's or event's input can be, so it names the key and nobody. */
    @Test
    void aKeysIdIsTheHmacOfItsOwnDomainAndDiffersBetweenKeys() throws Exception {
        assertEquals(java.util.HexFormat.of().formatHex(reference("key|lookout").bytes()), KEY.id());
        assertEquals(32, KEY.id().length());
        assertEquals(KEY.id(), PseudonymKey.fromBase64(Base64.getEncoder().encodeToString(
                "0123456789abcdef0123456789abcdef".getBytes()), "again").id(), "the same key, read again");
        assertNotEquals(KEY.id(), PseudonymKey.ephemeral().id());
    }

    /** A key longer than SHA-256's block is hashed before use: still the same HMAC. */
    @Test
    void aKeyLongerThanABlockGivesTheSameHmacAsTheJdk() throws Exception {
        byte[] bytes = new byte[100];
        new java.security.SecureRandom().nextBytes(bytes);
        PseudonymKey longKey = PseudonymKey.fromBase64(Base64.getEncoder().encodeToString(bytes), "test");
        assertEquals(reference(longKey, "ev|naloxone|n-7"), new Pseudonymizer(longKey).dedupeKey(Source.NALOXONE.code(), "n-7"));
    }

    private static Hash128 reference(String joined) throws Exception {
        return reference(KEY, joined);
    }

    /** The first 128 bits of the JDK's HMAC-SHA-256. */
    private static Hash128 reference(PseudonymKey key, String joined) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.bytes(), "HmacSHA256"));
        byte[] hmac = mac.doFinal(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Hash128(java.util.Arrays.copyOf(hmac, 16));
    }
}
