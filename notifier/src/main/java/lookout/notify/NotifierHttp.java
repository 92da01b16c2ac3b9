package lookout.notify;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;

import lookout.kernel.BearerToken;
import lookout.kernel.BodyCharset;
import lookout.kernel.ListenAddress;
import lookout.kernel.UsageException;

/**
 * The notifier's HTTP server (README, "Notifier HTTP API"): the SMS gateway's inbound webhook
 * ({@code POST /sms/inbound}, authenticated by the shared secret {@code sms.inbound_token}) and the subscriptions
 * API the dashboards call for their signed-in users ({@code /api/...}, authenticated by the service token
 * {@code http.token}). Every refusal is a JSON {@code {"error": ...}} that never echoes a value of the request;
 * nothing it receives is written to the output, so no contact detail reaches a log.
 */
public final class NotifierHttp implements AutoCloseable {
    public static final String INBOUND = "/sms/inbound";
    public static final String SUBSCRIPTION = "/api/owners/{owner}/subscription";
    public static final String COUNTS = "/api/subscriber-counts";
    /** The kinds of channel this notifier can send to, so that a form offers no other. */
    public static final String CHANNELS = "/api/channels";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Marks a request a handler refused, whose error body the 404 handler must keep. */
    private static final String REFUSED = "lookout.refused";

    /** A request refused with its status and a reason that names no value of it. */
    static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final Javalin app;

    /** @param sendable the kinds of channel the notifier has a sender for */
    public NotifierHttp(NotifierConfig config, Subscriptions subscriptions, ManagedSubscribers managed, SmsInbox inbox,
            Set<Channel.Kind> sendable, PrintStream out) {
        this.app = Javalin.create(c -> configure(c, config, subscriptions, managed, inbox, sendable, out));
    }

    /** Listens on the configured address and port; returns the port (useful with {@code http.port = 0}). */
    public int start(String bind, int port) {
        if (ListenAddress.canListen(bind, port)) {
            try {
                app.start(bind, port);
                return app.port();
            } catch (RuntimeException e) {
                // Taken between the check and the start: the same answer.
            }
        }
        throw new UsageException("cannot listen on " + bind + ":" + port + " (http.bind, http.port): address in use"
                + " or not of this machine");
    }

    private static void configure(JavalinConfig c, NotifierConfig config, Subscriptions subscriptions,
            ManagedSubscribers managed, SmsInbox inbox, Set<Channel.Kind> sendable, PrintStream out) {
        c.http.prefer405over404 = true;
        c.jsonMapper(new JavalinJackson());
        c.startup.showJavalinBanner = false;
        c.jetty.modifyServer(server -> server.setErrorHandler((request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, "{\"error\":\"" + statusWords(response.getStatus()) + "\"}", callback);
            return true;
        }));
        c.routes.before(ctx -> {
            ctx.header("Cache-Control", "no-store");
            if (!BodyCharset.isKnown(ctx.characterEncoding())) {
                throw new Refusal(415, BodyCharset.UNKNOWN);
            }
        });
        c.routes.post(INBOUND, ctx -> inbound(ctx, config, inbox));
        c.routes.get(SUBSCRIPTION, ctx -> {
            String owner = owner(ctx, config);
            Subscriber s = managed.ofOwner(owner).orElseThrow(() -> new Refusal(404, "no subscription for this owner"));
            ctx.json(withoutId(s));
        });
        c.routes.put(SUBSCRIPTION, ctx -> {
            String owner = owner(ctx, config);
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw new Refusal(400, "the body is not valid JSON");
            }
            refuseUnsendable(body, sendable);
            try {
                ctx.json(withoutId(managed.putForOwner(owner, body == null ? JSON.nullNode() : body)));
            } catch (UsageException e) {
                throw new Refusal(400, e.getMessage());
            }
        });
        c.routes.delete(SUBSCRIPTION, ctx -> {
            if (!managed.deleteOwner(owner(ctx, config))) {
                throw new Refusal(404, "no subscription for this owner");
            }
            ctx.status(204);
        });
        c.routes.get(CHANNELS, ctx -> {
            service(ctx, config);
            ctx.json(Map.of("kinds", sendable.stream().map(Channel.Kind::code).sorted().toList()));
        });
        c.routes.get(COUNTS, ctx -> {
            service(ctx, config);
            ctx.json(counts(subscriptions.current()));
        });
        c.routes.exception(Refusal.class, (e, ctx) -> {
            ctx.attribute(REFUSED, true);
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        });
        c.routes.exception(UncheckedIOException.class, (e, ctx) -> {
            out.println("notify: " + e.getCause().getMessage());
            ctx.status(500).json(Map.of("error", "the change could not be stored; try again"));
        });
        // Javalin's own refusals (a method the path does not answer, a body over its size limit) keep their status.
        c.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e instanceof MethodNotAllowedResponse) {
                ctx.header("Allow", String.join(", ", e.getDetails().values()));
            }
            ctx.status(e.getStatus()).json(Map.of("error", statusWords(e.getStatus())));
        });
        c.routes.exception(Exception.class, (e, ctx) -> {
            out.println("notify: " + ctx.method() + " " + ctx.endpoint().path + " failed: " + e.getClass().getSimpleName());
            ctx.status(500).json(Map.of("error", "internal error"));
        });
        // A refusal thrown by a handler already carries its body; this covers paths and methods no route matches.
        c.routes.error(404, ctx -> {
            if (ctx.attribute(REFUSED) == null) {
                ctx.json(Map.of("error", "no such route"));
            }
        });
    }

    /** "method not allowed": a status's reason phrase, in the lower case of the notifier's other errors. */
    private static String statusWords(int status) {
        return HttpStatus.getMessage(status).toLowerCase(Locale.ROOT);
    }

    /**
     * The inbound webhook: {@code from} and {@code text} as form fields or a JSON object, the shared secret as a
     * bearer token or the {@code token} query parameter (many gateways can set only the URL).
     */
    private static void inbound(Context ctx, NotifierConfig config, SmsInbox inbox) {
        if (config.smsInboundToken().isEmpty()) {
            throw new Refusal(404, "the inbound SMS webhook is off (sms.inbound_token is not set)");
        }
        String given = BearerToken.of(ctx.header("Authorization")).orElse(ctx.queryParam("token"));
        if (!same(given, config.smsInboundToken())) {
            throw new Refusal(401, "the inbound webhook needs the shared secret (bearer token or ?token=)");
        }
        Sms message = message(ctx);
        String from = message.from().replaceAll("[\\s().-]", "");
        if (!SmsInbox.isNumber(from)) {
            throw new Refusal(400, "\"from\" must be a number in international form, like +14165550100");
        }
        SmsInbox.Outcome outcome = inbox.receive(from, message.text());
        ctx.json(Map.of("action", outcome.action().name().toLowerCase(Locale.ROOT), "reply", outcome.reply(),
                "reply_sent", outcome.replySent()));
    }

    /** An inbound SMS as the gateway sends it. */
    private record Sms(String from, String text) {}

    /** The message's {@code from} and {@code text}, from a form or a JSON object. */
    private static Sms message(Context ctx) {
        String from;
        String text;
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw new Refusal(400, "the body is not valid JSON");
            }
            from = body == null ? null : textOf(body.get("from"));
            text = body == null ? null : textOf(body.get("text"));
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            from = ctx.formParam("from");
            text = ctx.formParam("text");
        } else {
            throw new Refusal(415, "send the message as application/x-www-form-urlencoded or application/json");
        }
        if (from == null || text == null) {
            throw new Refusal(400, "the message needs \"from\" and \"text\"");
        }
        return new Sms(from, text);
    }

    /**
     * A subscription with a channel this notifier cannot send to would look saved and never hear of an alert (its
     * messages logged undeliverable): refused, naming the setting it lacks.
     */
    private static void refuseUnsendable(JsonNode body, Set<Channel.Kind> sendable) {
        if (body == null) {
            return;
        }
        for (JsonNode channel : body.path("channels")) {
            if (channel.has("sms") && !sendable.contains(Channel.Kind.SMS)) {
                throw new Refusal(400, "this notifier sends no text messages (it has no sms.url): give an email"
                        + " address");
            }
            if (channel.has("email") && !sendable.contains(Channel.Kind.EMAIL)) {
                throw new Refusal(400, "this notifier sends no email (it has no smtp.host): give a phone number");
            }
        }
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** The owner of the path, once the service token is checked. */
    private static String owner(Context ctx, NotifierConfig config) {
        service(ctx, config);
        String owner = ctx.pathParam("owner");
        if (!ManagedSubscribers.OWNER.matcher(owner).matches()) {
            throw new Refusal(400, "an owner is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return owner;
    }

    private static void service(Context ctx, NotifierConfig config) {
        String token = BearerToken.of(ctx.header("Authorization"))
                .orElseThrow(() -> new Refusal(401, "send the service token as 'Authorization: Bearer TOKEN'"));
        if (!same(token, config.httpToken())) {
            throw new Refusal(401, "unknown token");
        }
    }

    /** Compares secrets in a time that does not tell how much of a guess was right. */
    private static boolean same(String given, String secret) {
        return given != null && !secret.isEmpty() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode withoutId(Subscriber s) {
        ObjectNode o = Subscriptions.json(s);
        o.remove("id");
        return o;
    }

    /** How many subscribers each area has (counting those of every area apart): never who they are. */
    static Map<String, Object> counts(List<Subscriber> subscribers) {
        Map<String, Integer> perArea = new TreeMap<>();
        int all = 0;
        for (Subscriber s : subscribers) {
            if (s.allAreas()) {
                all++;
            } else {
                s.areas().forEach(a -> perArea.merge(a, 1, Integer::sum));
            }
        }
        return Map.of("subscribers", subscribers.size(), "all_areas", all, "areas", perArea);
    }

    @Override
    public void close() {
        app.stop();
    }
}
