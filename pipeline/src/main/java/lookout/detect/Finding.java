package lookout.detect;

/**
 * A drug-checking finding worth a toxicity alert (a notable substance, see {@link SubstanceJudge}), routed to an area
 * whose alerts it may feed: the area where the sample was checked or a neighbour. Carries the area id only, never the
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
    /**
     * Why it is notable: {@link SubstanceJudge#ALWAYS}, {@link SubstanceJudge#NEW} or {@link SubstanceJudge#RISING};
     * null for a finding from state checkpointed before findings were judged by change, which never alerts.
     */
    public String reason;

    public Finding() {}

    public Finding(String targetArea, String foundInArea, long time, String substance, String watchEntry,
            boolean novel, boolean critical, String reason) {
        this.targetArea = targetArea;
        this.foundInArea = foundInArea;
        this.time = time;
        this.substance = substance;
        this.watchEntry = watchEntry;
        this.novel = novel;
        this.critical = critical;
        this.reason = reason;
    }

    public Finding routedTo(String area) {
        return new Finding(area, foundInArea, time, substance, watchEntry, novel, critical, reason);
    }
}
