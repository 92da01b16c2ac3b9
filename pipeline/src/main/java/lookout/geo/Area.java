package lookout.geo;

public record Area(String id, String name) {}
