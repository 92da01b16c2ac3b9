package lookout.release;

import java.time.LocalDate;

/**
 * One cell of the public tier. {@code count} is null exactly when the cell is suppressed, so a suppressed
 * value cannot travel further than the suppression decision.
 *
 * @param areaId an area id, or {@link #ALL_AREAS} for the total over every area
 */
public record PublicCell(String signal, Granularity granularity, LocalDate periodStart, String areaId, Long count) {
    public static final String ALL_AREAS = "ALL";

    public boolean suppressed() {
        return count == null;
    }

    public LocalDate periodEnd() {
        return granularity.end(periodStart);
    }
}
