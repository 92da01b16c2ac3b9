package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import lookout.kernel.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code users add} and {@code serve} through the dispatcher: a token printed once, bad input told in one line. */
class CommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usersAddPrintsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
        Path file = dir.resolve("users.txt");
        Run r = main("users", "add", "--file", file.toString(), "--name", "otto", "--role", "outreach", "--areas", "A2,A3");
        assertEquals(0, r.exit());
        String token = r.out().strip();
        assertEquals(43, token.length());
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("otto outreach " + Users.hash(token) + " A2,A3"), lines);
        assertFalse(Files.readString(file).contains(token));
        assertEquals("otto", Users.read(file).byToken(token).orElseThrow().name());

        Run again = main("users", "add", "--file", file.toString(), "--name", "otto", "--role", "analyst");
        assertEquals(2, again.exit());
        assertEquals("lookout users: user otto is already in " + file + "\n", again.err());
    }

    /** A users file edited by hand may lack its last newline; the new account still gets a line of its own. */
    @Test
    void usersAddStartsANewLineAfterAFileWithoutItsLastNewline() throws Exception {
        String bob7 = "bob7 analyst " + Users.hash("bob7's token");
        Path file = Files.writeString(dir.resolve("users.txt"), bob7);
        Run r = main("users", "add", "--file", file.toString(), "--name", "bob8", "--role", "analyst");
        assertEquals(0, r.exit(), r.err());
        String token = r.out().strip();
        assertEquals(bob7 + "\nbob8 analyst " + Users.hash(token) + "\n", Files.readString(file));
        assertEquals("bob7", Users.read(file).byToken("bob7's token").orElseThrow().name());
    }

    @Test
    void aUsersFileThatCannotBeWrittenIsOneLine() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        Path file = notADirectory.resolve("users.txt");
        Run r = main("users", "add", "--file", file.toString(), "--name", "otto", "--role", "analyst");
        assertEquals(2, r.exit());
        assertEquals("lookout users: cannot write users file " + file + "\n", r.err());
        assertEquals("", r.out());
    }

    /** A typo in an outreach account's areas gave an account that showed its holder nothing, without a word. */
    @Test
    void serveWarnsOfOutreachAreasThePublishedSnapshotDoesNotHold() throws Exception {
        Path db = PublishedDb.create(dir.resolve("lookout.duckdb"));
        Path file = Files.writeString(dir.resolve("users.txt"), String.join("\n",
                "otto outreach " + Users.hash("t1") + " A2,X99",
                "pia outreach " + Users.hash("t2") + " A1,A3",
                "una outreach " + Users.hash("t3") + " Z1,X99",
                "ana analyst " + Users.hash("t4"), ""));
        try (Snapshot snapshot = new Snapshot(db)) {
            assertEquals(List.of(
                    "outreach account otto names area X99, not among the published areas (a typo in the users file, or"
                            + " an area no longer in the boundaries)",
                    "outreach account una names areas X99, Z1, not among the published areas (a typo in the users"
                            + " file, or an area no longer in the boundaries)"),
                    ServeCommand.unpublishedAreas(Users.read(file), snapshot));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM areas");
        }
        try (Snapshot snapshot = new Snapshot(db)) {
            assertEquals(List.of(), ServeCommand.unpublishedAreas(Users.read(file), snapshot),
                    "no areas published yet: nothing to judge the accounts by");
        }
    }

    /** An audit log that could not be opened made every restricted request a 500 once the server was up. */
    @Test
    void serveRefusesAnAuditLogItCannotAppendTo() throws Exception {
        Path db = PublishedDb.create(dir.resolve("lookout.duckdb"));
        Path users = dir.resolve("users.txt");
        Users.add(users, "ana", Role.ANALYST, Set.of());
        Path audit = Files.writeString(dir.resolve("notes.txt"), "notes\n").resolve("audit.log");
        Run r = main("serve", "--db", db.toString(), "--users", users.toString(), "--audit", audit.toString());
        assertEquals(2, r.exit());
        assertEquals("lookout serve: cannot append to the audit log " + audit + " (--audit FILE)\n", r.err());
        assertEquals("", r.out());
    }

    /** A file that is not a published database was served as a 503 on every page, its reason only in the log. */
    @Test
    void serveRefusesAFileThatIsNotAPublishedDatabase() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        Run text = main("serve", "--db", notes.toString());
        assertEquals(2, text.exit());
        assertTrue(text.err().startsWith("lookout serve: --db " + notes + " cannot be read as the job's published"
                + " database: "), text.err());
        assertEquals(1, text.err().lines().count(), text.err());
        Path other = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE expenses (item VARCHAR, amount DECIMAL(9, 2))");
        }
        Run otherDb = main("serve", "--db", other.toString());
        assertEquals(2, otherDb.exit());
        assertEquals("lookout serve: --db " + other + " cannot be read as the job's published database: Catalog Error:"
                + " Table with name areas does not exist!\n", otherDb.err());
        assertEquals("", text.out() + otherDb.out());
    }

    /** Audit lines appended to the database or the users file damaged them. */
    @Test
    void serveRefusesToWriteItsAuditLogOrFeedbackIntoAFileItReads() throws Exception {
        Path db = PublishedDb.create(dir.resolve("lookout.duckdb"));
        Path users = dir.resolve("users.txt");
        Users.add(users, "ana", Role.ANALYST, Set.of());
        String accounts = Files.readString(users);
        byte[] published = Files.readAllBytes(db);
        Run intoDb = main("serve", "--db", db.toString(), "--users", users.toString(), "--audit", db.toString());
        assertEquals(2, intoDb.exit());
        assertEquals("lookout serve: --audit " + db + " is the --db file; give --audit a file of its own\n",
                intoDb.err());
        Run intoUsers = main("serve", "--db", db.toString(), "--users", users.toString(), "--audit", users.toString());
        assertEquals("lookout serve: --audit " + users + " is the --users file; give --audit a file of its own\n",
                intoUsers.err());
        Path audit = dir.resolve("audit.log");
        Run feedbackIntoAudit = main("serve", "--db", db.toString(), "--audit", audit.toString(),
                "--feedback", audit.toString());
        assertEquals("lookout serve: --feedback " + audit + " is the --audit file; give --feedback a file of its own\n",
                feedbackIntoAudit.err());
        assertEquals(accounts, Files.readString(users));
        assertArrayEquals(published, Files.readAllBytes(db));
        assertFalse(Files.exists(audit));
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        Path db = PublishedDb.create(dir.resolve("lookout.duckdb"));
        Path badUsers = Files.writeString(dir.resolve("users.txt"), "eve root abc\n");
        List<List<String>> cases = List.of(
                List.of("serve"),
                List.of("serve", "--db", dir.resolve("missing.duckdb").toString()),
                List.of("serve", "--db", db.toString(), "--port", "eighty"),
                List.of("serve", "--db", db.toString(), "--port", "70000"),
                List.of("serve", "--db", db.toString(), "--users", badUsers.toString()),
                List.of("serve", "--db", db.toString(), "--open-data", badUsers.toString()),
                List.of("serve", "--db", db.toString(), "--alert-feeds", badUsers.toString()),
                List.of("serve", "--db", db.toString(), "--zone", "Mars/Olympus"),
                List.of("users", "add", "--file", "f", "--name", "x y", "--role", "analyst"),
                List.of("users", "add", "--file", "f", "--name", "otto", "--role", "admin"),
                List.of("users", "add", "--file", "f", "--name", "otto", "--role", "outreach"),
                List.of("users", "remove"));
        for (List<String> args : cases) {
            Run r = main(args.toArray(String[]::new));
            assertEquals(2, r.exit(), args.toString());
            assertEquals(1, r.err().lines().count(), args + ": " + r.err());
            assertTrue(r.err().startsWith("lookout " + args.get(0) + ": "), r.err());
        }
        assertEquals("lookout serve: " + badUsers + ":1: role must be outreach or analyst\n",
                main("serve", "--db", db.toString(), "--users", badUsers.toString()).err());
        assertEquals("lookout serve: --open-data " + badUsers + " is not a directory\n",
                main("serve", "--db", db.toString(), "--open-data", badUsers.toString()).err());
        assertEquals("lookout serve: --alert-feeds " + badUsers + " is not a directory\n",
                main("serve", "--db", db.toString(), "--alert-feeds", badUsers.toString()).err());
        assertEquals("lookout serve: --zone 'Mars/Olympus' is not a known time zone (e.g. America/Toronto)\n",
                main("serve", "--db", db.toString(), "--zone", "Mars/Olympus").err());
    }
}
