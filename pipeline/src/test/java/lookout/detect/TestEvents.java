package lookout.detect;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import lookout.TestHashes;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

/** De-identified events as the spine emits them, for detection tests. */
final class TestEvents {
    static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    static final LocalDate DAY0 = LocalDate.of(2026, 1, 5);
    /** The signals' keys, as {@link WatchingSince} broadcasts each one's start. */
    static final byte PARAMEDIC = DetectionKeys.signal(Signal.PARAMEDIC);
    static final byte NALOXONE = DetectionKeys.signal(Signal.NALOXONE);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private TestEvents() {}

    static long at(int day, int hour, int minute) {
        return DAY0.plusDays(day).atTime(LocalTime.of(hour, minute)).atZone(TORONTO).toInstant().toEpochMilli();
    }

    static DeidentifiedEvent event(String area, String signal, long time, String... substances) {
        return DeidentifiedEvent.newBuilder()
                .setSignal(signal)
                .setDedupeKey(TestHashes.of(area + "|" + signal + "|" + time + "|" + SEQUENCE.incrementAndGet()))
                .setAreaId(area)
                .setOccurredMinute(time)
                .setSubstances(List.of(substances))
                .build();
    }

    /** An event reported {@code delayDays} days after it occurred. */
    static DeidentifiedEvent reported(String area, String signal, long time, int delayDays) {
        DeidentifiedEvent e = event(area, signal, time);
        e.setReportedMinute(time + delayDays * 86_400_000L);
        return e;
    }

    /**
     * A quiet area: events on a fixed 5-day cycle of 0,1,2,1,1 per day (mean 1, not a weekly pattern), and on
     * {@code spikeDay} {@code spikeSize} extra events an hour apart from 08:00.
     */
    static List<DeidentifiedEvent> quietAreaWithSpike(String area, String signal, int days, int spikeDay,
            int spikeSize) {
        int[] cycle = {0, 1, 2, 1, 1};
        List<DeidentifiedEvent> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            for (int i = 0; i < cycle[d % 5]; i++) {
                out.add(event(area, signal, at(d, 6 + 7 * i, 15)));
            }
            if (d == spikeDay) {
                for (int i = 0; i < spikeSize; i++) {
                    out.add(event(area, signal, at(d, 8 + i, 30)));
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(DeidentifiedEvent::getOccurredMinute));
        return out;
    }
}
