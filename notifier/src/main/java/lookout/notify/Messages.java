package lookout.notify;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lookout.kernel.Disclosure;

/**
 * The words of every message, from the resource bundles {@code lookout/notify/messages_LANG.properties}: adding a
 * language is adding a bundle and its code to {@link #LANGUAGES}. Texts are built only from an {@link AlertStep}'s
 * fields and the area's name, so no message can carry a coordinate, a site, a person or a pseudonym; a count
 * below {@link Disclosure#K} (withheld by the job as null) reads "fewer than 5".
 */
public final class Messages {
    /**
     * The languages a subscriber may choose; the first is the default. The dashboards offer a copy, which tools'
     * {@code lookout.dashboards.SubscriptionLanguagesTest} keeps equal.
     */
    public static final List<String> LANGUAGES = List.of("en", "fr");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_0-9]+)\\}");
    private static final long HOUR = 3_600_000L;
    /** The shortest area name an SMS with its link is cut to before the link is left out. */
    private static final int MIN_AREA_CHARS = 12;

    private final ZoneId zone;
    private final String link;
    private final String notificationsPage;
    private final Map<String, String> footers;

    /**
     * @param link              the dashboards' alert page
     * @param notificationsPage the dashboards' notifications page, where a dashboard account changes or stops its
     *                          alerts
     * @param footers           the configured harm-reduction footer per language; a language without one uses its
     *                          bundle's
     */
    public Messages(ZoneId zone, String link, String notificationsPage, Map<String, String> footers) {
        this.zone = zone;
        this.link = link;
        this.notificationsPage = notificationsPage;
        this.footers = Map.copyOf(footers);
    }

    public Message compose(AlertStep step, String areaName, String language) {
        return compose(step, areaName, language, false);
    }

    /**
     * The message of the public feeds: the same words without the count and the usual level, as on the dashboards'
     * public alerts. An alert's count covers its window, and beside the open data's counts it would pin cells the
     * release withholds; a cluster's is its whole zone's over several days.
     */
    public Message composePublic(AlertStep step, String areaName, String language) {
        return compose(step, areaName, language, true);
    }

    private Message compose(AlertStep step, String areaName, String language, boolean publicTier) {
        String tier = tier(step, publicTier);
        ResourceBundle b = bundle(language);
        Map<String, String> values = values(step, areaName, b);
        String kind = step.kind().wording();
        String footer = footers.getOrDefault(language, b.getString("footer"));
        String found = FoundSubstances.sentence(step, b);
        return new Message(fill(template(b, "subject." + kind, step), values),
                fill(template(b, "cap.headline." + kind, step), values),
                fill(template(b, tier + "text." + kind, step), values) + (found.isEmpty() ? "" : " " + found), footer,
                alertLink(step.spikeId()), () -> sms(step, areaName, b, tier + "sms."));
    }

    /** The prefix of the public's words ({@code public.}) or none; an all-clear tells no count, so it has one kind. */
    private static String tier(AlertStep step, boolean publicTier) {
        return publicTier && step.kind() != AlertStep.Kind.CLOSED ? "public." : "";
    }

    /**
     * The bundle's {@code key}, or its variant for the step's signal ({@code key.SIGNAL}) where the language has one:
     * a phrase that reads well as {signal} in one language may not in another's sentence.
     */
    private static String template(ResourceBundle b, String key, AlertStep step) {
        String bySignal = key + "." + step.signal();
        return b.getString(b.containsKey(bySignal) ? bySignal : key);
    }

    /** The dashboards' alert page. */
    public String alertsPage() {
        return link;
    }

    /**
     * The alert's own card on the dashboards' alert page (its {@code id} is {@code alert-SPIKE}), so that a message
     * leads to the alert it is about rather than to the whole list.
     */
    public String alertLink(String spikeId) {
        return link + "#alert-" + spikeId;
    }

    /**
     * The page where anyone who received a message about this alert may say whether it was useful: the same for
     * every recipient, so it cannot tell who answered.
     */
    public String feedbackLink(String spikeId) {
        return link + "/" + spikeId + "/feedback";
    }

    /** "Was this useful? LINK" in the language. */
    public String feedback(String language, String spikeId) {
        return fill(bundle(language).getString("feedback"), Map.of("link", feedbackLink(spikeId)));
    }

    /**
     * The daily digest of {@code steps} (oldest first, at least one), kept since {@code since}: each step in the
     * words of its immediate message ({@code text.KIND}, or the public's for the steps {@code withoutCount}
     * accepts), with the link to its alert; the digest's own link is the alert page.
     */
    public Digest digest(LocalDate day, List<AlertStep> steps, Function<String, String> areaName, String language,
            long since, Predicate<AlertStep> withoutCount) {
        ResourceBundle b = bundle(language);
        List<Digest.Item> items = new ArrayList<>();
        for (AlertStep step : steps) {
            String area = areaName.apply(step.areaId());
            boolean countless = withoutCount.test(step);
            String text = fill(template(b, tier(step, countless) + "text." + step.kind().wording(), step),
                    values(step, area, b));
            String alert = alertLink(step.spikeId());
            items.add(new Digest.Item(countless ? step.withoutCount() : step, area, text, alert,
                    details(language, alert), feedbackLink(step.spikeId()), feedback(language, step.spikeId())));
        }
        String changes = steps.size() == 1 ? b.getString("digest.changes.one")
                : fill(b.getString("digest.changes.many"), Map.of("0", Integer.toString(steps.size())));
        DateTimeFormatter when = DateTimeFormatter.ofPattern(b.getString("since.pattern"),
                Locale.forLanguageTag(b.getString("language.tag")));
        Map<String, String> values = Map.of("changes", changes, "since",
                when.format(Instant.ofEpochMilli(since).atZone(zone)), "link", link);
        String sms = Gsm7.fold(fill(b.getString("sms.digest"), values));
        if (!Gsm7.fitsOneSegment(sms)) {
            // A long dashboard URL: the news that there is a digest goes without the way to it.
            sms = Gsm7.fold(fill(withoutLink(b.getString("sms.digest")), values));
        }
        return new Digest(day, fill(b.getString("digest.subject"), values), fill(b.getString("digest.intro"), values),
                List.copyOf(items), footers.getOrDefault(language, b.getString("footer")), link, sms);
    }

    /** A bundle's word that is not part of a step's message (the CAP event name, a button's title). */
    public String word(String language, String key) {
        return bundle(language).getString(key);
    }

    /** "Details: URL" in the language. */
    public String details(String language, String url) {
        return fill(bundle(language).getString("details"), Map.of("link", url));
    }

    /**
     * Why an email comes and how to change it, in the language: for a subscriber a dashboard account keeps, "Change or
     * stop these alerts: " and {@link #notificationsPage}; for one of the subscribers file, that the operator added
     * the address and manages the alerts (the file is theirs, so there is no page to send the reader to).
     */
    public String subscription(String language, boolean keptByAccount) {
        return keptByAccount
                ? fill(bundle(language).getString("subscription.account"), Map.of("link", notificationsPage))
                : bundle(language).getString("subscription.operator");
    }

    /** The dashboards' notifications page, where a dashboard account changes or stops its alerts. */
    public String notificationsPage() {
        return notificationsPage;
    }

    /**
     * The SMS, one segment: the first of the kind's templates that fits, longest first ({@code sms.KIND},
     * {@code .short}, then {@code .shortest} where the bundle has one, each saying less: the alert level goes before
     * the alert's own words), else the last with the area's name cut; and if none fits with the link (a long
     * dashboard URL), the same without it, since the alert itself matters more than the way to the page. An alert
     * with findings tries its {@code sms.KIND.found} templates first: what drug checking found matters more than the
     * level. Characters outside GSM-7 are folded ({@link Gsm7#fold}) so the segment holds 160, not 70.
     *
     * @param keys {@code "sms."}, or {@code "public.sms."} for the public's words (no count)
     */
    String sms(AlertStep step, String areaName, ResourceBundle b, String keys) {
        String kind = step.kind().wording();
        List<String> variants = FoundSubstances.sentence(step, b).isEmpty()
                ? List.of("", ".short", ".shortest")
                : List.of(".found", ".found.short", "", ".short", ".shortest");
        List<String> templates = variants.stream().map(v -> keys + kind + v).filter(b::containsKey)
                .map(b::getString).toList();
        return fitting(templates, step, areaName, MIN_AREA_CHARS, b)
                .or(() -> fitting(templates.stream().map(Messages::withoutLink).toList(), step, areaName, 1, b))
                .orElseThrow(() -> new IllegalStateException("the bundle's " + keys + kind + ".short does not fit one"
                        + " segment even without the link"));
    }

    /**
     * The first of the templates (the last being the shortest) whose text fits one segment, else the last one's with
     * the area's name cut to no fewer than {@code minAreaChars}.
     */
    private Optional<String> fitting(List<String> templates, AlertStep step, String areaName, int minAreaChars,
            ResourceBundle b) {
        for (String template : templates) {
            String text = Gsm7.fold(fill(template, values(step, areaName, b)));
            if (Gsm7.fitsOneSegment(text)) {
                return Optional.of(text);
            }
        }
        String shortest = templates.get(templates.size() - 1);
        for (int n = areaName.length() - 1; n >= minAreaChars; n--) {
            String text = Gsm7.fold(fill(shortest, values(step, areaName.substring(0, n).strip() + ".", b)));
            if (Gsm7.fitsOneSegment(text)) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    /** A template without its trailing link and what leads to it ({@code " "}, {@code ": "}). */
    private static String withoutLink(String template) {
        return template.replaceFirst("[\\s:]*\\{link\\}$", "");
    }

    private Map<String, String> values(AlertStep step, String areaName, ResourceBundle b) {
        DateTimeFormatter when = DateTimeFormatter.ofPattern(b.getString("since.pattern"),
                Locale.forLanguageTag(b.getString("language.tag")));
        return Map.of(
                "area", zoneName(step, areaName, b),
                "signal", signal(step.signal(), b),
                "count", count(step.observed(), b),
                "usual", usual(step.expected(), b),
                "window", window(step.windowEnd() - step.windowStart(), b),
                "since", when.format(Instant.ofEpochMilli(step.windowStart()).atZone(zone)),
                "opened", when.format(Instant.ofEpochMilli(step.openedAt()).atZone(zone)),
                "severity", b.getString("severity." + step.severity().code()),
                "link", link,
                "substances", FoundSubstances.names(step, b));
    }

    /** A cluster alert's place: "Moss Park and 2 neighbouring areas"; any other alert's, the area's name. */
    private static String zoneName(AlertStep step, String areaName, ResourceBundle b) {
        int others = step.zone().size() - 1;
        if (others < 1) {
            return areaName;
        }
        return fill(b.getString(others == 1 ? "area.zone.one" : "area.zone.many"),
                Map.of("0", areaName, "1", Integer.toString(others)));
    }

    /**
     * The signal's words in the language. Every code this version knows has its key in every bundle
     * ({@code lookout.notify.MessagesTest}); an alert of a signal added by a newer job still goes, in
     * {@code combined}'s words ("overdoses").
     */
    private static String signal(String code, ResourceBundle b) {
        String key = "signal." + code;
        return b.containsKey(key) ? b.getString(key) : b.getString("signal.combined");
    }

    static String count(Integer observed, ResourceBundle b) {
        if (observed == null || observed < Disclosure.K) {
            return fill(b.getString("count.fewer"), Map.of("0", Integer.toString(Disclosure.K)));
        }
        return observed.toString();
    }

    private static String usual(double expected, ResourceBundle b) {
        if (expected < 1) {
            return b.getString("usual.below_one");
        }
        return fill(b.getString("usual.about"), Map.of("0", Long.toString(Math.round(expected))));
    }

    /** The window's length: hours up to two days, then days; at least one hour (window ends are hour starts). */
    private static String window(long millis, ResourceBundle b) {
        long hours = Math.max(1, Math.round((double) millis / HOUR));
        if (hours == 1) {
            return b.getString("window.hour");
        }
        if (hours <= 48) {
            return fill(b.getString("window.hours"), Map.of("0", Long.toString(hours)));
        }
        return fill(b.getString("window.days"), Map.of("0", Long.toString(Math.round(hours / 24.0))));
    }

    /** The words of {@code language}: its own bundle, never another language's. */
    static ResourceBundle bundle(String language) {
        return ResourceBundle.getBundle("lookout.notify.messages", Locale.forLanguageTag(language),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** Named placeholders ({@code {area}}); apostrophes are plain text, unlike in MessageFormat. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("no value for {" + m.group(1) + "} in '" + template + "'");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
