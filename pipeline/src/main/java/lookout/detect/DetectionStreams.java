package lookout.detect;

import org.apache.flink.streaming.api.datastream.DataStream;

import lookout.schema.Alert;
import lookout.schema.DetectorAlarm;

/**
 * What detection adds to the job: every method's daily verdicts (upsert into detector_alarms by area, signal,
 * method, day) and the alert snapshots outreach receives (upsert into spikes by spike_id, and lookout.alerts).
 */
public record DetectionStreams(DataStream<DetectorAlarm> alarms, DataStream<Alert> alerts) {}
