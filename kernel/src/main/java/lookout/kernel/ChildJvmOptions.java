package lookout.kernel;

import java.util.List;

/**
 * JVM options every JVM that Lookout starts for itself (a test's or the bench's broker, cluster or command line)
 * gets after its own, from the space-separated system property {@value #PROPERTY}. The tests set
 * {@code -XX:TieredStopAtLevel=1} (tools/pom.xml): a test's broker and cluster live for a minute or two at a low
 * rate, and C2's compilations cost them more CPU than its faster code gives back (docs/BENCHMARKS.md, "CI").
 */
public final class ChildJvmOptions {
    public static final String PROPERTY = "lookout.child.jvm.options";

    private ChildJvmOptions() {}

    /** The property's options in order; none when it is unset or blank. */
    public static List<String> extra() {
        String options = System.getProperty(PROPERTY, "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }
}
