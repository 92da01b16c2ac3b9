package lookout.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;

/**
 * A local inbox for notifications: a real SMTP server (GreenMail) and a real webhook receiver (the JDK's HTTP
 * server), both on loopback, that tell a listener of every message as it arrives. The same HTTP server stands in for
 * an SMS provider's send endpoint (the notifier's generic gateway: POST JSON {to, text}), the one part no demo can
 * run for real. The demo prints them; the bench times them. Nothing is written to disk: GreenMail keeps its
 * mailboxes in memory.
 */
public final class DemoInbox implements AutoCloseable {
    static final String BIND = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WEBHOOK_THREADS = 8;
    private static final String SMS_PATH = "/sms";

    /**
     * One message as received. {@code to} is the email address, the number of an SMS, or for a webhook the last
     * segment of its path; {@code subject} is the email's subject, the SMS's text or the webhook payload's headline
     * (its first line for Slack's {@code text}); {@code atNanos} is {@link System#nanoTime()} when it arrived in full.
     */
    public record Received(Kind kind, String to, String subject, String body, long atNanos) {}

    public enum Kind { EMAIL, WEBHOOK, SMS }

    private final GreenMail mail;
    private final HttpServer webhooks;
    private final ExecutorService webhookThreads;
    private boolean closed;

    private DemoInbox(GreenMail mail, HttpServer webhooks, ExecutorService webhookThreads) {
        this.mail = mail;
        this.webhooks = webhooks;
        this.webhookThreads = webhookThreads;
    }

    /** Both servers on free loopback ports; {@code listener} is called on the servers' threads. */
    public static DemoInbox start(Consumer<Received> listener) throws IOException {
        GreenMail mail = new GreenMail(new ServerSetup(0, BIND, ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        MessageDeliveryHandler store = mail.getUserManager().getMessageDeliveryHandler();
        mail.getUserManager().setMessageDeliveryHandler((message, address) -> {
            var user = store.handle(message, address);
            listener.accept(new Received(Kind.EMAIL, address.getEmail(), subject(message.getMessage()), "",
                    System.nanoTime()));
            return user;
        });
        HttpServer webhooks;
        try {
            webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getByName(BIND), 0), 0);
        } catch (IOException e) {
            mail.stop();
            throw e;
        }
        webhooks.createContext("/hook/", exchange -> {
            String body = acknowledge(exchange);
            String path = exchange.getRequestURI().getPath();
            listener.accept(new Received(Kind.WEBHOOK, path.substring(path.lastIndexOf('/') + 1), headline(body), body,
                    System.nanoTime()));
        });
        webhooks.createContext(SMS_PATH, exchange -> {
            String body = acknowledge(exchange);
            JsonNode sms = JSON.readTree(body);
            listener.accept(new Received(Kind.SMS, sms.path("to").asText(), sms.path("text").asText(), body,
                    System.nanoTime()));
        });
        // As many threads as the notifier sends with, so that a webhook waits for no other.
        ExecutorService threads = Executors.newFixedThreadPool(WEBHOOK_THREADS, r -> {
            Thread t = new Thread(r, "inbox-webhook");
            t.setDaemon(true);
            return t;
        });
        webhooks.setExecutor(threads);
        webhooks.start();
        return new DemoInbox(mail, webhooks, threads);
    }

    /** Reads a request's body and answers it 204, as a receiver that took the message does. */
    private static String acknowledge(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        return body;
    }

    public int smtpPort() {
        return mail.getSmtp().getPort();
    }

    /** The URL whose deliveries are reported with {@code to} = {@code name}. */
    public String webhookUrl(String name) {
        return "http://" + BIND + ":" + webhooks.getAddress().getPort() + "/hook/" + name;
    }

    /** The SMS gateway's send endpoint, for the notifier's {@code sms.url}. */
    public String smsUrl() {
        return "http://" + BIND + ":" + webhooks.getAddress().getPort() + SMS_PATH;
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            return "(no subject)";
        }
    }

    /** The generic payload's headline, or the first line of a Slack/Mattermost {@code text}. */
    private static String headline(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json.hasNonNull("headline")) {
                return json.get("headline").asText();
            }
            return json.path("text").asText("").lines().findFirst().orElse("");
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    /** Stops both servers; called from the Ctrl-C hook and when the demo ends, so only the first call acts. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        webhooks.stop(0);
        webhookThreads.shutdownNow();
        mail.stop();
    }
}
