package lookout.bench;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import lookout.kernel.AlertStatus;

/**
 * The alerts a streaming job opened over a measurement, by signal, and in how many areas. The alert probe's bursts
 * mean one alert each; more says the rest of the city alarmed too, which costs the job work per event and shows in
 * every latency the measurement takes.
 */
record OpenedAlerts(int total, int areas, SortedMap<String, Integer> bySignal) {
    /** The snapshots with status {@code opened} that arrived from {@code fromNanos} to {@code toNanos}. */
    static OpenedAlerts during(List<AlertWatcher.Arrival> arrivals, long fromNanos, long toNanos) {
        Set<String> areas = new TreeSet<>();
        SortedMap<String, Integer> bySignal = new TreeMap<>();
        for (AlertWatcher.Arrival a : arrivals) {
            if (a.atNanos() >= fromNanos && a.atNanos() <= toNanos
                    && a.alert().getStatus().toString().equals(AlertStatus.OPENED.code())) {
                areas.add(a.alert().getAreaId().toString());
                bySignal.merge(a.alert().getSignal().toString(), 1, Integer::sum);
            }
        }
        int total = bySignal.values().stream().mapToInt(Integer::intValue).sum();
        return new OpenedAlerts(total, areas.size(), Collections.unmodifiableSortedMap(bySignal));
    }

    /** For a figure's note: "14 alerts opened in 13 areas (naloxone 6, paramedic 8)". */
    String describe() {
        String counts = String.format("%,d alert%s opened in %,d area%s", total, total == 1 ? "" : "s", areas,
                areas == 1 ? "" : "s");
        return bySignal.isEmpty() ? counts : counts + bySignal.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", " (", ")"));
    }
}
