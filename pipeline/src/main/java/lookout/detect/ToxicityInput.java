package lookout.detect;

/**
 * The toxicity operator's one input: an overdose event (paramedic or naloxone) or a drug-checking finding routed
 * to the area. One input type, so BATCH runs see each area's records in time order. A Flink POJO.
 */
public final class ToxicityInput {
    public String area;
    public long time;
    /** paramedic or naloxone for an event; null for a finding. */
    public String signal;
    public Finding finding;

    public ToxicityInput() {}

    public static ToxicityInput event(String area, long time, String signal) {
        ToxicityInput in = new ToxicityInput();
        in.area = area;
        in.time = time;
        in.signal = signal;
        return in;
    }

    public static ToxicityInput finding(Finding f) {
        ToxicityInput in = new ToxicityInput();
        in.area = f.targetArea;
        in.time = f.time;
        in.finding = f;
        return in;
    }
}
