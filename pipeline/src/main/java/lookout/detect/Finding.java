package lookout.detect;

/**
 * A drug-checking finding worth a toxicity alert (a watch-list or newly seen substance), routed to an area whose
 * alerts it may feed: the area where the sample was checked or a neighbour. Carries the area id only, never the
 * site. A Flink POJO.
 */
public final class Finding {
    /** The area that may alert on this finding. */
    public String targetArea;
    /** The area the sample was checked in. */
    public String foundInArea;
    public long time;
    public String substance;
    /** The watch-list entry matched, or null. */
    public String watchEntry;
    public boolean novel;
    public boolean critical;

    public Finding() {}

    public Finding(String targetArea, String foundInArea, long time, String substance, String watchEntry,
            boolean novel, boolean critical) {
        this.targetArea = targetArea;
        this.foundInArea = foundInArea;
        this.time = time;
        this.substance = substance;
        this.watchEntry = watchEntry;
        this.novel = novel;
        this.critical = critical;
    }

    public Finding routedTo(String area) {
        return new Finding(area, foundInArea, time, substance, watchEntry, novel, critical);
    }
}
