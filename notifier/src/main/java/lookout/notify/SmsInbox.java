package lookout.notify;

import java.text.Normalizer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Anonymous SMS opt-in and opt-out, from the texts the SMS gateway's inbound webhook brings: {@code JOIN <area
 * name or id or ALL> [EN|FR]} subscribes the number, {@code STOP} (and its synonyms) deletes it at once, {@code
 * HELP} and anything else get a short answer. Every reply is one GSM-7 segment in the sender's language, sent
 * through the gateway after the change is stored; at most {@link #repliesPerHour} replies go to one number in any
 * hour (the change itself is always made), so that two automatic responders cannot text each other forever.
 *
 * <p>STOP comes first and needs nothing but the managed store: no area names, no snapshot, no gateway. Its reply
 * is sent after the number is gone, and a gateway that fails then loses only the confirmation.
 */
public final class SmsInbox {
    /** What a text asked for. */
    public enum Action { JOINED, UNKNOWN_AREA, STOPPED, HELP, NOT_UNDERSTOOD }

    /** The outcome of one text: what was done, the reply, and whether it went to the gateway (not: rate limit). */
    public record Outcome(Action action, String reply, boolean replySent) {}

    static final Set<String> STOP_WORDS = Set.of("STOP", "STOPALL", "ARRET", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    static final Set<String> HELP_WORDS = Set.of("HELP", "AIDE", "INFO");
    static final Set<String> FRENCH_WORDS = Set.of("ARRET", "AIDE");
    static final String JOIN = "JOIN";
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final long HOUR = 3_600_000L;
    /** The shortest area name a reply is cut to before it would not fit one segment. */
    private static final int MIN_AREA_CHARS = 12;

    private final ManagedSubscribers managed;
    private final Supplier<List<Subscriber>> fileSubscribers;
    private final AreaNames areaNames;
    private final SmsGateway gateway;
    private final ExecutorService replies;
    private final String mapLink;
    private final Clock clock;
    private final int repliesPerHour;
    /** When each number was last answered: in memory only, and forgotten an hour later. */
    private final Map<String, Deque<Long>> answered = new HashMap<>();

    /**
     * @param gateway null: replies are not sent (the webhook's answer still carries them)
     * @param mapLink the dashboards' map, where area names are found
     */
    public SmsInbox(ManagedSubscribers managed, Supplier<List<Subscriber>> fileSubscribers, AreaNames areaNames,
            SmsGateway gateway, ExecutorService replies, String mapLink, Clock clock, int repliesPerHour) {
        this.managed = managed;
        this.fileSubscribers = fileSubscribers;
        this.areaNames = areaNames;
        this.gateway = gateway;
        this.replies = replies;
        this.mapLink = mapLink;
        this.clock = clock;
        this.repliesPerHour = repliesPerHour;
    }

    /** Whether {@code from} is a number in international form, the only kind a text is taken from. */
    public static boolean isNumber(String from) {
        return from != null && PHONE.matcher(from).matches();
    }

    /** Acts on one text from {@code from} (a number in international form) and answers it. */
    public Outcome receive(String from, String text) {
        List<String> words = words(text);
        String first = words.isEmpty() ? "" : words.get(0);
        if (STOP_WORDS.contains(first)) {
            String language = FRENCH_WORDS.contains(first) ? "fr" : managed.languageOf(from).orElse(Messages.LANGUAGES.get(0));
            managed.stopSms(from, fileSubscribers.get());
            return reply(from, Action.STOPPED, language, fill(language, "sms.reply.stopped", null));
        }
        String language = FRENCH_WORDS.contains(first) ? "fr" : managed.languageOf(from).orElse(Messages.LANGUAGES.get(0));
        if (HELP_WORDS.contains(first)) {
            return reply(from, Action.HELP, language, fill(language, "sms.reply.help", null));
        }
        if (!first.equals(JOIN) || words.size() < 2) {
            return reply(from, Action.NOT_UNDERSTOOD, language, fill(language, "sms.reply.not_understood", null));
        }
        List<String> area = words.subList(1, words.size());
        String last = area.get(area.size() - 1).toLowerCase(Locale.ROOT);
        if (area.size() > 1 && Messages.LANGUAGES.contains(last)) {
            language = last;
            area = area.subList(0, area.size() - 1);
        }
        if (area.size() == 1 && area.get(0).equals("ALL")) {
            managed.joinSms(from, null, language);
            return reply(from, Action.JOINED, language, fill(language, "sms.reply.joined_all", null));
        }
        Optional<String> areaId = areaNames.find(String.join(" ", area));
        if (areaId.isEmpty()) {
            return reply(from, Action.UNKNOWN_AREA, language, fill(language, "sms.reply.unknown_area", null));
        }
        managed.joinSms(from, areaId.get(), language);
        return reply(from, Action.JOINED, language, fill(language, "sms.reply.joined", areaNames.name(areaId.get())));
    }

    /** The text's words in upper case without accents (ARRÊT is ARRET), as keywords are compared. */
    static List<String> words(String text) {
        String plain = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return List.of(plain.toUpperCase(Locale.ROOT).strip().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
    }

    /**
     * A reply of the bundle's {@code key}, folded into GSM-7: whole if it fits one segment, else with the area's
     * name cut (a name cut to {@link #MIN_AREA_CHARS} always fits: RepliesTest checks every template).
     */
    String fill(String language, String key, String areaName) {
        String template = Messages.bundle(language).getString(key);
        String name = areaName == null ? "" : areaName;
        for (int n = name.length(); n >= Math.min(name.length(), MIN_AREA_CHARS); n--) {
            String area = n == name.length() ? name : name.substring(0, n).strip() + ".";
            String text = Gsm7.fold(Messages.fill(template, Map.of("area", area, "link", mapLink)));
            if (Gsm7.fitsOneSegment(text) || n == Math.min(name.length(), MIN_AREA_CHARS)) {
                return text;
            }
        }
        throw new IllegalStateException("unreachable: the loop returns at its last length");
    }

    private Outcome reply(String to, Action action, String language, String text) {
        if (!mayAnswer(to)) {
            return new Outcome(action, text, false);
        }
        if (gateway != null) {
            replies.execute(() -> {
                try {
                    gateway.send(to, text);
                } catch (DeliveryFailure e) {
                    // The change is stored already; only the reply is lost, and it is not retried (a gateway that
                    // is down would otherwise send stale confirmations long after).
                }
            });
        }
        return new Outcome(action, text, gateway != null);
    }

    /** Counts a reply to {@code to} against the hourly limit; false when the limit is reached. */
    private synchronized boolean mayAnswer(String to) {
        long now = clock.millis();
        answered.values().forEach(times -> times.removeIf(t -> t <= now - HOUR));
        answered.values().removeIf(Deque::isEmpty);
        Deque<Long> times = answered.computeIfAbsent(to, k -> new ArrayDeque<>());
        if (times.size() >= repliesPerHour) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
