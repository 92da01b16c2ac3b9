package lookout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documents cite tests as the proof of what they promise ({@code docs/PRIVACY.md}, {@code docs/RELIABILITY.md}).
 * A cited test that was renamed, removed, or sits in a class surefire does not run proves nothing, so every
 * citation {@code `lookout.pkg.Class#method`} (or {@code `#method`} after such a citation on the same line) must
 * name a test method of a class that {@code mvn verify} runs, in any module.
 */
class DocumentedTestsTest {
    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    /** A backticked class reference with an optional method, or a bare {@code #method} after one. */
    private static final Pattern CITATION = Pattern.compile("`(?:(lookout(?:\\.[a-z]+)*\\.[A-Z]\\w*))?(?:#(\\w+))?`");
    private static final Pattern SUREFIRE_NAME = Pattern.compile("(Test\\w*|\\w*Test|\\w*Tests|\\w*TestCase)");
    /** How a method or nested class of a top-level class ends, in this project's four-space indentation. */
    private static final String MEMBER_END = "\n    }\n";
    private static final Pattern TEST_ANNOTATION = Pattern.compile(
            "@(Test|ParameterizedTest|RepeatedTest|TestFactory|Property|Example)\\b");

    @Test
    void everyCitedTestExistsAndRuns() throws IOException {
        List<String> problems = new ArrayList<>();
        int citations = 0;
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                String where = ROOT.relativize(doc) + ":" + (i + 1);
                String lastClass = null;
                Matcher m = CITATION.matcher(lines.get(i));
                while (m.find()) {
                    String className = m.group(1) != null ? m.group(1) : lastClass;
                    String method = m.group(2);
                    if (className == null) {
                        continue;
                    }
                    lastClass = className;
                    citations++;
                    String problem = check(className, method);
                    if (problem != null) {
                        problems.add(where + ": " + problem);
                    }
                }
            }
        }
        assertTrue(citations >= 20, "expected the documents to cite their tests, found " + citations + " citations");
        assertEquals(List.of(), problems);
    }

    private static String check(String className, String method) throws IOException {
        String relative = className.replace('.', '/') + ".java";
        Path file = inSomeModule("src/test/java", relative);
        if (file == null) {
            return inSomeModule("src/main/java", relative) != null && method == null
                    ? null : className + " is not a test class in any module's src/test/java";
        }
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String source = Files.readString(file);
        if (!SUREFIRE_NAME.matcher(simpleName).matches()) {
            if (method != null) {
                return className + " is not named like a test, so mvn verify never runs " + method;
            }
            return TEST_ANNOTATION.matcher(source).find()
                    ? className + " holds tests but is not named like a test, so mvn verify never runs them" : null;
        }
        if (method == null) {
            return null;
        }
        Matcher declaration = Pattern.compile("\\bvoid " + method + "\\(").matcher(source);
        if (!declaration.find()) {
            return className + "#" + method + " does not exist";
        }
        // Annotations of the method lie between the end of the previous member (a brace closing at member depth)
        // and its declaration; their arguments may hold braces and semicolons of their own.
        int previousMember = source.lastIndexOf(MEMBER_END, declaration.start());
        if (!TEST_ANNOTATION.matcher(source.substring(Math.max(0, previousMember), declaration.start())).find()) {
            return className + "#" + method + " is not annotated as a test";
        }
        return null;
    }

    /** The file in the given source root of some module (a directory of the root holding a pom.xml), or null. */
    private static Path inSomeModule(String sourceRoot, String relative) throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
                    .map(m -> m.resolve(sourceRoot).resolve(relative))
                    .filter(Files::exists)
                    .findFirst().orElse(null);
        }
    }

    private static List<Path> documents() throws IOException {
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            List<Path> all = new ArrayList<>(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            all.add(ROOT.resolve("README.md"));
            all.add(ROOT.resolve("schemas/README.md"));
            return all;
        }
    }
}
