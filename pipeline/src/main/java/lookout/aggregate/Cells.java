package lookout.aggregate;

/**
 * Where an event's increments go, one call per cell the event adds one to, as plain values:
 * {@link CountIncrements}, {@link DelayIncrements} and {@link SubstanceIncrements} say what an event adds, and
 * {@link SummedCells} sums it, making the sink's rows only once per cell.
 */
interface Cells {
    /**
     * One more event of {@code signal} in {@code areaId} in the bucket of {@code granularity}
     * ({@link TimeBuckets#HOUR} or {@link TimeBuckets#DAY}) that starts at {@code bucketStart}, in epoch seconds.
     */
    void count(String granularity, long bucketStart, String areaId, String signal);

    /** One more report of {@code signal} that occurred on local day {@code occurredDay} and was reported on {@code reportedDay} (epoch days). */
    void delay(String signal, long occurredDay, long reportedDay);

    /**
     * One more drug-checking sample of {@code areaId}, in the week whose Monday is {@code weekStart} (an epoch day), in
     * which {@code substance} was found; a null substance is the sample itself, a sample checked.
     */
    void substance(String areaId, long weekStart, String substance);
}
