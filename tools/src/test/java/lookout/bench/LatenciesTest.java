package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.ingest.Source;

class LatenciesTest {
    @Test
    void nearestRankQuantiles() {
        Latencies l = Latencies.of(List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 6.0, 7.0, 9.0, 8.0), 2);
        assertEquals(10, l.count());
        assertEquals(5.0, l.p50());
        assertEquals(10.0, l.p99());
        assertEquals(10.0, l.max());
        assertEquals(2, l.unseen());
    }

    @Test
    void anEventIsVisibleAtTheFirstObservationWhoseCountIncludesIt() {
        AppendLog appends = new AppendLog();
        appends.appended(Source.PARAMEDIC, 1_000_000L);
        appends.appended(Source.PARAMEDIC, 2_000_000L);
        appends.appended(Source.CORONER, 3_000_000L);
        appends.appended(Source.PARAMEDIC, 4_000_000L);
        Visibility v = new Visibility();
        v.observed(11_000_000L, counts(1, 0));
        v.observed(21_000_000L, counts(2, 1));

        Latencies l = v.latencies(appends, 0, Long.MAX_VALUE);

        // paramedic #1 at 11 ms (10 ms), #2 at 21 ms (19 ms), coroner #1 at 21 ms (18 ms); paramedic #3 never.
        assertEquals(3, l.count());
        assertEquals(18.0, l.p50());
        assertEquals(19.0, l.max());
        assertEquals(1, l.unseen());
        assertEquals(3, v.visibleTotal());
    }

    private static long[] counts(long paramedic, long coroner) {
        long[] c = new long[Source.values().length];
        c[Source.PARAMEDIC.ordinal()] = paramedic;
        c[Source.CORONER.ordinal()] = coroner;
        return c;
    }
}
