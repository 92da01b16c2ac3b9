package lookout.geo;

/** A neighbourhood area: the stable id events are counted under, and the name people read. */
public record Area(String id, String name) {}
