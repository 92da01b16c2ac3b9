package lookout.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lookout.kernel.AlertSignals;
import lookout.kernel.Signal;

/**
 * The alerts in words for people who are not statisticians: what a signal counts, how an alarm was found, the
 * facts of an alert's {@code evidence} (the JSON object the job's detectors write: {@code method}, {@code firings},
 * then each detector's own facts, and {@code coroner_deaths} once deaths confirm it) as short labelled lines, and
 * times in the city's local time and relative to now. Evidence is never shown as JSON: a fact this class does not
 * know is labelled from its name.
 */
final class AlertWords {
    /** The job's reasons a drug-checking finding is notable (docs/DETECTION.md), in words. */
    private static final Map<String, String> NOTABLE_BECAUSE = Map.of("always_notable", "always dangerous",
            "new_in_city", "new in the city", "rising_share", "in more samples than usual");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
    private static final Pattern HOURS = Pattern.compile("(\\d+)h");
    private static final Pattern DAYS = Pattern.compile("(\\d+)d");
    private static final Pattern INTRADAY = Pattern.compile("intraday_(\\d+)h");
    /** "area 073" or "area 073, 074" in a job's explanation, which names areas by id. */
    private static final Pattern AREA_IDS = Pattern.compile("\\barea ([A-Za-z0-9_-]+(?:, [A-Za-z0-9_-]+)*)");

    /**
     * What the public pages leave out, said where an alert a subscriber was sent could seem missing: a public alert
     * list holds the public signals only (see {@code AlertQueries.publicAlerts}).
     */
    static final String NOT_PUBLIC = "Alerts that join several signals, such as a possible toxic drug supply, reach"
            + " subscribers and those who sign in, not these public pages.";

    private AlertWords() {}

    /** What a signal counts, in the words of the alert list ("paramedic overdose calls"). */
    static String signal(String code) {
        if (AlertSignals.TOXICITY.equals(code)) {
            return "possible toxic drug supply";
        }
        return Signal.fromCode(code).map(s -> switch (s) {
            case PARAMEDIC -> "paramedic overdose calls";
            case NALOXONE -> "naloxone kits used";
            case CORONER -> "suspected overdose deaths";
            case DRUG_CHECKING -> "drug-checking samples";
            case COMBINED -> "overdoses seen by paramedics or naloxone programs";
        }).orElse(code);
    }

    /** A count of the signal's reports in words: "1 suspected overdose death", "3 suspected overdose deaths". */
    static String count(long n, Signal signal) {
        return n + " " + (n != 1 ? signal(signal.code()) : switch (signal) {
            case PARAMEDIC -> "paramedic overdose call";
            case NALOXONE -> "naloxone kit used";
            case CORONER -> "suspected overdose death";
            case DRUG_CHECKING -> "drug-checking sample";
            case COMBINED -> "overdose seen by paramedics or naloxone programs";
        });
    }

    /**
     * The job's explanation with its areas named as the page names them ("in area 073" becomes "in Moss Park"); a
     * list with an id the snapshot does not name is left as the job wrote it.
     */
    static String withAreaNames(String explanation, Map<String, String> areaNames) {
        if (explanation == null) {
            return null;
        }
        return AREA_IDS.matcher(explanation).replaceAll(m -> {
            List<String> names = new ArrayList<>();
            for (String id : m.group(1).split(", ")) {
                String name = areaNames.get(id);
                if (name == null) {
                    return Matcher.quoteReplacement(m.group());
                }
                names.add(name);
            }
            return Matcher.quoteReplacement(String.join(", ", names));
        });
    }

    /** How a detector method finds an alarm, in words. */
    static String method(String method) {
        Matcher intraday = INTRADAY.matcher(method);
        if (intraday.matches()) {
            return "the last " + intraday.group(1) + " hours against the same hours on recent days";
        }
        if (method.startsWith("earsC_C1")) {
            return "the day's count against the 7 days before (EARS C1)";
        }
        if (method.startsWith("earsC_C2")) {
            return "the day's count against 7 earlier days, skipping the last 2 (EARS C2)";
        }
        if (method.startsWith("earsC_C3") || method.startsWith("textbookC3")) {
            return "the last 3 days against 7 earlier days (EARS C3)";
        }
        if (method.startsWith("excessglr_")) {
            return "extra cases over the last days above the area's seasonal usual (likelihood-ratio test)";
        }
        if (method.equals("toxicity_multisignal")) {
            return "overdoses rising where drug checking found a dangerous substance";
        }
        if (method.equals("scan_cluster")) {
            return "neighbouring areas together against their usual, over the last 1 to 7 days (space-time scan)";
        }
        return method;
    }

    /**
     * The evidence JSON as labelled lines, in the order the job wrote the facts: each {@code {"fact": name,
     * "label": words, "value": words}}. Areas are named by {@code areaNames} (id to name). Empty facts (an empty
     * list, a null) are left out; evidence that is not a JSON object is one line saying so.
     */
    static List<Map<String, String>> evidence(String json, Map<String, String> areaNames) {
        List<Map<String, String>> lines = new ArrayList<>();
        if (json == null) {
            return lines;
        }
        JsonNode facts;
        try {
            facts = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            facts = null;
        }
        if (facts == null || !facts.isObject()) {
            lines.add(line("evidence", "Evidence", "could not be read"));
            return lines;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = facts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fact = it.next();
            String value = value(fact.getKey(), fact.getValue(), areaNames);
            if (!value.isEmpty()) {
                lines.add(line(fact.getKey(), label(fact.getKey()), value));
            }
        }
        return lines;
    }

    private static Map<String, String> line(String fact, String label, String value) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("fact", fact);
        line.put("label", label);
        line.put("value", value);
        return line;
    }

    private static String label(String fact) {
        return switch (fact) {
            case "method" -> "How it was found";
            case "firings" -> "Times the detector fired";
            case "period" -> "Period counted";
            case "day" -> "Day";
            case "expected" -> "Usual for this area";
            case "window_hours" -> "Hours counted";
            case "expected_combined" -> "Usual overdoses in those hours";
            case "watch_list_found" -> "Watch-list substances found";
            case "new_substances_found" -> "Substances new to the city";
            case "found_in_areas" -> "Found in samples from areas";
            case "areas" -> "Areas of the cluster";
            case "expected_together" -> "Usual for these areas together";
            case "notable_substances" -> "Why the substances found matter";
            case "coroner_deaths" -> "Suspected overdose deaths reported since";
            default -> Signal.fromCode(fact).isPresent() ? capitalised(signal(fact)) : capitalised(fact.replace('_', ' '));
        };
    }

    private static String value(String fact, JsonNode v, Map<String, String> areaNames) {
        if (v.isTextual()) {
            return switch (fact) {
                case "method" -> method(v.asText());
                case "period" -> period(v.asText());
                case "day" -> day(v.asText());
                case "found_in_areas", "areas" -> areaNames.containsKey(v.asText())
                        ? areaNames.get(v.asText()) + " (" + v.asText() + ")" : v.asText();
                default -> v.asText();
            };
        }
        if (v.isNumber()) {
            return fact.equals("expected") || fact.equals("expected_combined") || fact.equals("expected_together")
                    ? usual(v.asDouble()) : number(v);
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "yes" : "no";
        }
        List<String> parts = new ArrayList<>();
        if (v.isArray()) {
            v.elements().forEachRemaining(e -> parts.add(value(fact, e, areaNames)));
        } else if (v.isObject() && fact.equals("notable_substances")) {
            v.fields().forEachRemaining(f -> parts.add(f.getKey() + " (" + NOTABLE_BECAUSE.getOrDefault(
                    f.getValue().asText(), f.getValue().asText().replace('_', ' ')) + ")"));
        } else if (v.isObject()) {
            v.fields().forEachRemaining(f -> parts.add(f.getKey().replace('_', ' ') + " "
                    + value(f.getKey(), f.getValue(), areaNames)));
        }
        parts.removeIf(String::isEmpty);
        return String.join(", ", parts);
    }

    private static String period(String period) {
        if (period.equals("day")) {
            return "one day";
        }
        Matcher hours = HOURS.matcher(period);
        if (hours.matches()) {
            return "the last " + hours.group(1) + " hours";
        }
        Matcher days = DAYS.matcher(period);
        if (days.matches()) {
            return days.group(1).equals("1") ? "one day" : "the last " + days.group(1) + " days";
        }
        return period;
    }

    private static String day(String isoDate) {
        try {
            return DAY.format(LocalDate.parse(isoDate));
        } catch (DateTimeParseException e) {
            return isoDate;
        }
    }

    /** An expected count as the job's explanations say it: "less than 1", or "about N". */
    private static String usual(double expected) {
        return expected < 1 ? "less than 1" : "about " + Math.round(expected);
    }

    private static String number(JsonNode v) {
        double d = v.asDouble();
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : v.asText();
    }

    /** {@code at} in the city's local time, as "Mon 2 Mar 2026, 14:00". */
    static String local(Instant at, ZoneId zone) {
        return LOCAL.format(at.atZone(zone));
    }

    /**
     * How long ago {@code at} was, seen at {@code now}: "just now", "5 minutes ago", "2 hours ago", "3 days ago",
     * "4 months ago", "1 year ago" (or "in 2 hours" for a time ahead of the clock). The page's script says it the
     * same way as time passes.
     */
    static String relative(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        boolean ahead = d.isNegative();
        long minutes = d.abs().toMinutes();
        if (minutes < 1) {
            return "just now";
        }
        String amount;
        if (minutes < 60) {
            amount = plural(minutes, "minute");
        } else if (minutes < 24 * 60) {
            amount = plural(minutes / 60, "hour");
        } else if (minutes < 30L * 24 * 60) {
            amount = plural(minutes / (24 * 60), "day");
        } else if (minutes < 365L * 24 * 60) {
            amount = plural(minutes / (30 * 24 * 60), "month");
        } else {
            amount = plural(minutes / (365 * 24 * 60), "year");
        }
        return ahead ? "in " + amount : amount + " ago";
    }

    /** A cluster alert's areas, centre first, from its evidence; none where the evidence names none. */
    static List<String> zoneAreas(String json) {
        List<String> areas = new ArrayList<>();
        try {
            JSON.readTree(json == null ? "{}" : json).path("areas").forEach(a -> areas.add(a.asText()));
        } catch (JsonProcessingException e) {
            // Evidence that cannot be read names no area; the alert's own evidence line says it could not be read.
        }
        return areas;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /**
     * A cluster alert's place, worded as the notifier words it: "Moss Park and a neighbouring area", "Moss Park and
     * 2 neighbouring areas"; {@code size} counts the centre area too.
     */
    static String zoneName(String centre, int size) {
        int others = size - 1;
        return centre + (others == 1 ? " and a neighbouring area" : " and " + others + " neighbouring areas");
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
