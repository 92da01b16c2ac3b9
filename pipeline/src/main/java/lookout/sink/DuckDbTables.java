package lookout.sink;

import static lookout.sink.DuckDbTable.computed;
import static lookout.sink.DuckDbTable.increment;
import static lookout.sink.DuckDbTable.key;
import static lookout.sink.DuckDbTable.value;
import static lookout.sink.DuckDbTable.writeTime;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import lookout.kernel.AlertStatus;

import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.FeedHealth;
import lookout.schema.SinkBatch;
import lookout.schema.SubstanceDelta;
import lookout.sink.DuckDbTable.Staging;

/**
 * The DuckDB tables Lookout writes, each declared once; see {@link DuckDbTable} for what is derived from a
 * declaration. Published tables are copied into the file analysts read; the others are the writer's own
 * bookkeeping and never leave the writer's file. To add a column to a table filled from a record, add the field
 * to the record's Avro schema and one line here.
 */
public final class DuckDbTables {
    /**
     * An alert's statuses in lifecycle order, as an SQL list. With it, a snapshot of an alert replaces the stored one
     * as {@link lookout.detect.SpikeTracker#supersedes} says: only if it was updated later, or at the same time and
     * is no earlier in the lifecycle.
     */
    private static final String LIFECYCLE = Arrays.stream(AlertStatus.values()).map(s -> "'" + s.code() + "'")
            .collect(Collectors.joining(", ", "[", "]"));

    /** An area's id and name, as the job hands them to the sink. */
    static final DuckDbTable<Map.Entry<String, String>> AREAS = DuckDbTable.direct("areas",
            key("area_id", "VARCHAR", Map.Entry::getKey),
            value("name", "VARCHAR", Map.Entry::getValue));

    /** An area's boundary simplified for web maps, a GeoJSON geometry (see {@link lookout.geo.WebShapes}). */
    static final DuckDbTable<Map.Entry<String, String>> AREA_SHAPES = DuckDbTable.direct("area_shapes",
            key("area_id", "VARCHAR", Map.Entry::getKey),
            value("geojson", "VARCHAR", Map.Entry::getValue));

    /**
     * One row per ordered pair of areas whose boundaries share a border (a stretch of it, not only a corner), both
     * directions present: see {@link lookout.geo.AreaAdjacency}. Readers that cannot depend on the pipeline (the
     * notifier, the dashboards) copy its DDL into their tests' {@code PublishedDb}, which tools' tests keep equal.
     */
    static final DuckDbTable<Map.Entry<String, String>> AREA_NEIGHBOURS = DuckDbTable.direct("area_neighbours",
            key("area_id", "VARCHAR", Map.Entry::getKey),
            key("neighbour_id", "VARCHAR", Map.Entry::getValue));

    static final DuckDbTable<CountDelta> AREA_COUNTS = DuckDbTable.staged("area_counts", "staged_counts",
            row -> row.getCount(),
            key("granularity", "VARCHAR", CountDelta::getGranularity),
            DuckDbTable.<CountDelta>key("bucket_start", "TIMESTAMPTZ", CountDelta::getBucketStart)
                    .staged(Staging.EPOCH_SECONDS),
            key("area_id", "VARCHAR", CountDelta::getAreaId),
            key("signal", "VARCHAR", CountDelta::getSignal),
            DuckDbTable.<CountDelta>increment("count", "BIGINT", CountDelta::getDelta).staged(Staging.AS_IS, "delta"),
            writeTime("updated_at"));

    static final DuckDbTable<DeadLetter> DEAD_LETTERS = DuckDbTable.staged("dead_letters", "staged_dead_letters",
            row -> row.getDeadLetter(),
            DuckDbTable.<DeadLetter>value("received_at", "TIMESTAMPTZ", DeadLetter::getReceivedAt)
                    .staged(Staging.EPOCH_MILLIS, "received_ms"),
            DuckDbTable.<DeadLetter>value("source", "VARCHAR", DeadLetter::getSource).nullable(),
            value("reason", "VARCHAR", DeadLetter::getReason),
            value("position", "VARCHAR", DeadLetter::getPosition));

    static final DuckDbTable<Alert> SPIKES = DuckDbTable.staged("spikes", "staged_spikes",
            row -> row.getAlert(),
            key("spike_id", "VARCHAR", Alert::getSpikeId),
            value("area_id", "VARCHAR", Alert::getAreaId),
            value("signal", "VARCHAR", Alert::getSignal),
            value("method", "VARCHAR", Alert::getMethod),
            DuckDbTable.<Alert>value("opened_at", "TIMESTAMPTZ", Alert::getOpenedAt).staged(Staging.EPOCH_MILLIS, "opened_ms"),
            DuckDbTable.<Alert>value("updated_at", "TIMESTAMPTZ", Alert::getUpdatedAt).staged(Staging.EPOCH_MILLIS, "updated_ms"),
            DuckDbTable.<Alert>value("closed_at", "TIMESTAMPTZ", Alert::getClosedAt).nullable()
                    .staged(Staging.EPOCH_MILLIS, "closed_ms"),
            DuckDbTable.<Alert>value("window_start", "TIMESTAMPTZ", Alert::getWindowStart)
                    .staged(Staging.EPOCH_MILLIS, "window_start_ms"),
            DuckDbTable.<Alert>value("window_end", "TIMESTAMPTZ", Alert::getWindowEnd)
                    .staged(Staging.EPOCH_MILLIS, "window_end_ms"),
            DuckDbTable.<Alert>value("observed", "INTEGER", Alert::getObserved).nullable(),
            DuckDbTable.<Alert>value("expected", "DOUBLE", Alert::getExpected).nullable(),
            DuckDbTable.<Alert>value("threshold", "DOUBLE", Alert::getThreshold).nullable(),
            DuckDbTable.<Alert>value("score", "DOUBLE", Alert::getScore).nullable(),
            value("severity", "VARCHAR", Alert::getSeverity),
            value("status", "VARCHAR", Alert::getStatus),
            DuckDbTable.<Alert>value("evidence", "JSON", Alert::getEvidence).nullable().staged(Staging.JSON_TEXT),
            value("explanation", "VARCHAR", Alert::getExplanation))
            .replacedUnlessBehindIn(row -> row + ".updated_at", row -> "list_position(" + LIFECYCLE + ", " + row + ".status)");

    static final DuckDbTable<DetectorAlarm> DETECTOR_ALARMS = DuckDbTable.staged("detector_alarms", "staged_alarms",
            row -> row.getAlarm(),
            key("area_id", "VARCHAR", DetectorAlarm::getAreaId),
            key("signal", "VARCHAR", DetectorAlarm::getSignal),
            key("method", "VARCHAR", DetectorAlarm::getMethod),
            DuckDbTable.<DetectorAlarm>key("day", "DATE", DetectorAlarm::getDay).staged(Staging.ISO_DATE),
            value("observed", "INTEGER", DetectorAlarm::getObserved),
            DuckDbTable.<DetectorAlarm>value("expected", "DOUBLE", DetectorAlarm::getExpected).nullable(),
            DuckDbTable.<DetectorAlarm>value("upperbound", "DOUBLE", DetectorAlarm::getUpperbound).nullable(),
            value("alarm", "BOOLEAN", DetectorAlarm::getAlarm));

    /**
     * Drug-checking samples of an area and week in which a substance was found, by vocabulary term; the share of
     * samples is this over {@link #DRUG_CHECKING_SAMPLES}. {@code watch_entry} is the watch-list entry (a term or
     * family) the substance belongs to, as the job's watch list says.
     */
    static final DuckDbTable<SubstanceDelta> SUBSTANCE_COUNTS = DuckDbTable.staged("substance_counts",
            "staged_substances", row -> row.getSubstance() != null && row.getSubstance().getSubstance() != null
                    ? row.getSubstance() : null,
            key("area_id", "VARCHAR", SubstanceDelta::getAreaId),
            DuckDbTable.<SubstanceDelta>key("week_start", "DATE", SubstanceDelta::getWeekStart).staged(Staging.ISO_DATE),
            key("substance", "VARCHAR", SubstanceDelta::getSubstance),
            DuckDbTable.<SubstanceDelta>value("watch_entry", "VARCHAR", SubstanceDelta::getWatchEntry).nullable(),
            DuckDbTable.<SubstanceDelta>increment("samples", "BIGINT", SubstanceDelta::getDelta).staged(Staging.AS_IS, "delta"),
            writeTime("updated_at"));

    /** Drug-checking samples checked in an area and week, whatever was found in them: the share's denominator. */
    static final DuckDbTable<SubstanceDelta> DRUG_CHECKING_SAMPLES = DuckDbTable.staged("drug_checking_samples",
            "staged_samples", row -> row.getSubstance() != null && row.getSubstance().getSubstance() == null
                    ? row.getSubstance() : null,
            key("area_id", "VARCHAR", SubstanceDelta::getAreaId),
            DuckDbTable.<SubstanceDelta>key("week_start", "DATE", SubstanceDelta::getWeekStart).staged(Staging.ISO_DATE),
            DuckDbTable.<SubstanceDelta>increment("samples", "BIGINT", SubstanceDelta::getDelta).staged(Staging.AS_IS, "delta"),
            writeTime("updated_at"));

    /**
     * Episodes in which a source's feed was silent or bad ({@link lookout.ingest.FeedWatch}), one row per episode,
     * updated when it ends; the dashboards mark its period "data incomplete" for the source's signal.
     */
    static final DuckDbTable<FeedHealth> FEED_HEALTH = DuckDbTable.staged("feed_health", "staged_feed_health",
            row -> row.getFeedHealth(),
            key("episode_id", "VARCHAR", FeedHealth::getEpisodeId),
            value("source", "VARCHAR", FeedHealth::getSource),
            value("status", "VARCHAR", FeedHealth::getStatus),
            DuckDbTable.<FeedHealth>value("since", "TIMESTAMPTZ", FeedHealth::getSince).staged(Staging.EPOCH_MILLIS, "since_ms"),
            DuckDbTable.<FeedHealth>value("until", "TIMESTAMPTZ", FeedHealth::getUntil).nullable()
                    .staged(Staging.EPOCH_MILLIS, "until_ms"),
            DuckDbTable.<FeedHealth>value("updated_at", "TIMESTAMPTZ", FeedHealth::getUpdatedAt)
                    .staged(Staging.EPOCH_MILLIS, "updated_ms"),
            DuckDbTable.<FeedHealth>value("seconds_since_last_record", "DOUBLE", FeedHealth::getSecondsSinceLastRecord).nullable(),
            DuckDbTable.<FeedHealth>value("usual_gap_seconds", "DOUBLE", FeedHealth::getUsualGapSeconds).nullable(),
            DuckDbTable.<FeedHealth>value("dead_letter_share", "DOUBLE", FeedHealth::getDeadLetterShare).nullable(),
            DuckDbTable.<FeedHealth>value("report_delay_seconds", "DOUBLE", FeedHealth::getReportDelaySeconds).nullable());

    /**
     * Reports of a signal by the local day the event occurred and the local day it was reported: the reporting
     * triangle the nowcast estimates each signal's delays from ({@link NowcastTable}).
     */
    static final DuckDbTable<DelayDelta> REPORTING_DELAYS = DuckDbTable.staged("reporting_delays", "staged_delays",
            row -> row.getDelay(),
            key("signal", "VARCHAR", DelayDelta::getSignal),
            DuckDbTable.<DelayDelta>key("occurred_day", "DATE", DelayDelta::getOccurredDay).staged(Staging.ISO_DATE),
            DuckDbTable.<DelayDelta>key("reported_day", "DATE", DelayDelta::getReportedDay).staged(Staging.ISO_DATE),
            DuckDbTable.<DelayDelta>increment("reports", "BIGINT", DelayDelta::getDelta).staged(Staging.AS_IS, "delta"),
            writeTime("updated_at"));

    /**
     * For the recent days and 7-day weeks of each area and signal: the count so far, the share of the final count
     * expected to be in by now and, when at least a tenth is, the expected final count and its 90 % interval. One
     * row per granularity, period start, area and signal. Derived from {@link #AREA_COUNTS} and
     * {@link #REPORTING_DELAYS} at each publish ({@link NowcastTable}).
     */
    static final DuckDbTable<Void> NOWCASTS = DuckDbTable.derived("nowcasts",
            computed("granularity", "VARCHAR"),
            computed("period_start", "DATE"),
            computed("period_end", "DATE"),
            computed("area_id", "VARCHAR"),
            computed("signal", "VARCHAR"),
            computed("reported", "BIGINT"),
            computed("share_reported", "DOUBLE"),
            computed("expected", "DOUBLE"),
            computed("lower", "BIGINT"),
            computed("upper", "BIGINT"),
            computed("as_of", "DATE"));

    /**
     * Which batches the writer's file holds, so that a batch retried after a restart is applied once, and a digest
     * of each, so that a different batch under the same number is told from a retry (null for a batch committed by
     * a version without digests), and the pseudonym key's id ({@link lookout.privacy.PseudonymKey#id}), so that a run
     * resumed under another key is refused.
     */
    static final DuckDbTable<Commit> LOOKOUT_COMMITS = DuckDbTable.ledger("lookout_commits",
            key("run_id", "VARCHAR", (Commit c) -> c.batch().getRunId()),
            key("sequence", "BIGINT", (Commit c) -> c.batch().getSequence()),
            writeTime("committed_at"),
            DuckDbTable.<Commit>value("digest", "VARCHAR", Commit::digest).nullable(),
            DuckDbTable.<Commit>value("job_id", "VARCHAR", Commit::jobId).nullable(),
            DuckDbTable.<Commit>value("key_id", "VARCHAR", Commit::keyId).nullable());

    /**
     * The order in which the writer's file received its commits: the ledger's row id. Only one writer holds the file
     * at a time, the ledger is only ever appended to, and DuckDB keeps a table's row ids in the order rows were
     * appended, also through an added column and {@link WriterRebuild}'s copy. {@code committed_at} is not that
     * order: it is the clock of whichever TaskManager committed, and two TaskManagers' clocks can disagree.
     */
    static final String COMMIT_ORDER = "lookout_commits.rowid";

    /**
     * A batch as {@code lookout_commits} records it: with its digest, and the Flink job that committed it and the key
     * its run pseudonymised with, if known.
     */
    record Commit(SinkBatch batch, String digest, String jobId, String keyId) {}

    /** The published tables, in creation order. */
    static final List<DuckDbTable<?>> PUBLISHED_TABLES = List.of(AREAS, AREA_SHAPES, AREA_NEIGHBOURS, AREA_COUNTS,
            DEAD_LETTERS, SPIKES, DETECTOR_ALARMS, SUBSTANCE_COUNTS, DRUG_CHECKING_SAMPLES, FEED_HEALTH, REPORTING_DELAYS,
            NOWCASTS);

    /** The names of the tables copied into the published snapshot, in creation order. */
    public static final List<String> PUBLISHED = PUBLISHED_TABLES.stream().map(DuckDbTable::name).toList();

    /**
     * The tables every version of Lookout has written: a file holding them is a Lookout database even when an
     * earlier version wrote it without a table added since, such as {@code area_shapes}.
     */
    public static final List<String> IDENTIFYING = List.of(AREAS.name(), AREA_COUNTS.name());

    /**
     * Every table in the writer's file, in creation order: the published ones but those each publish derives anew,
     * then the writer's own.
     */
    static final List<DuckDbTable<?>> ALL = Stream.concat(PUBLISHED_TABLES.stream().filter(t -> !t.isDerived()),
            Stream.of(LOOKOUT_COMMITS)).toList();

    /** The tables filled from the sink's rows, in the order each commit merges them. */
    static final List<DuckDbTable<?>> STAGED = ALL.stream().filter(DuckDbTable::isStaged).toList();

    private DuckDbTables() {}

    /** The column whose data is dropped, in its table and the table's staging table. */
    private static final String DROPPED_COLUMN = "sha256";

    /**
     * What a writer's file made by an earlier version loses or gains: a dead letter's plain SHA-256 of its raw
     * record (kept on the restricted dead-letter topic) let anyone holding {@code dead_letters} guess short records,
     * such as one line of pretty-printed JSON that holds a birth date, by hashing every candidate; the batches'
     * digests, committing jobs and keys are new; the nowcasts, once kept, are derived at each publish.
     */
    private static final List<String> UPGRADES = List.of(
            "DROP TABLE IF EXISTS " + NOWCASTS.name(),
            "ALTER TABLE " + DEAD_LETTERS.name() + " DROP COLUMN IF EXISTS " + DROPPED_COLUMN,
            "ALTER TABLE " + DEAD_LETTERS.stagingName() + " DROP COLUMN IF EXISTS " + DROPPED_COLUMN,
            "ALTER TABLE " + LOOKOUT_COMMITS.name() + " ADD COLUMN IF NOT EXISTS digest VARCHAR",
            "ALTER TABLE " + LOOKOUT_COMMITS.name() + " ADD COLUMN IF NOT EXISTS job_id VARCHAR",
            "ALTER TABLE " + LOOKOUT_COMMITS.name() + " ADD COLUMN IF NOT EXISTS key_id VARCHAR");

    /**
     * Whether {@link #ddl()} drops data from the file {@code c} opened (a dead letter's hash), which DuckDB then
     * keeps in free blocks until it reuses them.
     */
    static boolean dropsData(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name IN (?, ?) AND column_name = ?")) {
            ps.setString(1, DEAD_LETTERS.name());
            ps.setString(2, DEAD_LETTERS.stagingName());
            ps.setString(3, DROPPED_COLUMN);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * Every statement that makes the writer's file what this version writes, in order: the tables, their staging
     * tables, then the upgrades of a file an earlier version made.
     */
    static List<String> ddl() {
        return Stream.of(ALL.stream().map(DuckDbTable::ddl), STAGED.stream().map(DuckDbTable::stagingDdl),
                UPGRADES.stream()).flatMap(s -> s).toList();
    }
}
