package lookout.ingest;

/**
 * How many list items one record may hold, all its lists together, and the reason a record over it is refused:
 * one limit for a JSON line and an Avro message, so the backfill and Kafka judge the same record alike. The
 * contract's lists (substances suspected, found or detected) hold a handful; an empty string is one byte on the
 * wire but some 15 bytes of heap once read, so at the largest {@code ingest.max_record_bytes} (64 MiB) one record
 * of them would have needed about a gigabyte.
 */
public final class ItemLimit {
    public static final int MAX_ITEMS = 10_000;
    public static final String TOO_MANY_ITEMS = "too_many_items";

    private ItemLimit() {
    }
}
