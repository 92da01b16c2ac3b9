package lookout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;
import lookout.geo.BoundaryException;
import lookout.kernel.UsageException;

/**
 * A set of boundaries to benchmark against: its label for the report, the {@code boundaries} setting the job
 * loads it from, and the loaded index.
 */
public record BenchCity(String label, String boundarySetting, AreaIndex index) {
    public static final String TORONTO_FILE = "data/toronto-neighbourhoods-158.geojson";

    /**
     * Toronto's 158 neighbourhoods from {@code sharedDir}, never copied into the project; when the file is
     * absent, the built-in demo city, with a note saying so (returned in {@code notes}). A file there that cannot be
     * used stops the bench with the boundary file's one line.
     */
    public static BenchCity toronto(Path sharedDir, StringBuilder notes) {
        Path file = sharedDir.resolve(TORONTO_FILE).normalize();
        if (Files.isRegularFile(file)) {
            try {
                return new BenchCity("toronto-158", file.toAbsolutePath().toString(), AreaIndex.fromGeoJson(file));
            } catch (BoundaryException e) {
                throw new UsageException("--shared: " + e.getMessage());
            }
        }
        notes.append("Toronto boundaries absent (").append(file)
                .append("): using the built-in 40-area demo city instead; figures are labelled demo-40\n");
        return new BenchCity("demo-40", Boundaries.DEMO, AreaIndex.demoCity());
    }

    /**
     * A generated city of {@code areas} areas, written to {@code dir} so the job's operators can load it: afresh on
     * every run, as a file left by a run with another seed or an earlier build would be another city.
     */
    public static BenchCity synthetic(int areas, long seed, Path dir) throws IOException {
        Path file = dir.resolve("synthetic-" + areas + ".geojson");
        Files.createDirectories(dir);
        Files.writeString(file, SyntheticCity.geoJson(areas, seed));
        return new BenchCity("synthetic-" + areas, file.toAbsolutePath().toString(), AreaIndex.fromGeoJson(file));
    }

    public int size() {
        return index.size();
    }
}
