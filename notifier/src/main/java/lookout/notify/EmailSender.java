package lookout.notify;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.function.Predicate;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Email over SMTP (Jakarta Mail, Angus): plain text plus a simple HTML part with the same words. Every email ends
 * with why it comes: a subscriber a dashboard account keeps is told where to change or stop its alerts, with the
 * same page as a {@code List-Unsubscribe} header (RFC 2369) for mail programs; one of the subscribers file, that
 * the operator added the address.
 */
public final class EmailSender implements Sender {
    private static final String TIMEOUT_MS = "10000";

    private final Session session;
    private final String from;
    private final Messages messages;
    private final Predicate<String> keptByAccount;

    /**
     * @param keptByAccount whether a subscriber id is one that a dashboard account keeps
     *                      ({@link ManagedSubscribers#keptByAccount})
     */
    public EmailSender(String host, int port, String from, String user, String password, Messages messages,
            Predicate<String> keptByAccount) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        Authenticator auth = null;
        if (!user.isEmpty()) {
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.starttls.enable", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
        this.from = from;
        this.messages = messages;
        this.keptByAccount = keptByAccount;
    }

    /**
     * Whether sending will take this as a recipient: the strict RFC 822 parse sending makes, and a bare address
     * ({@code name@example.org}), not a display name with one.
     */
    static boolean isAddress(String address) {
        try {
            return new InternetAddress(address, true).getAddress().equals(address);
        } catch (AddressException e) {
            return false;
        }
    }

    @Override
    public void send(Channel channel, Message m, AlertStep step, Subscriber subscriber) throws DeliveryFailure {
        String language = subscriber.language();
        boolean byAccount = keptByAccount.test(subscriber.id());
        mail(channel, m.subject(), m.text(messages.details(language, m.link())) + "\n\n"
                + messages.feedback(language, step.spikeId()) + "\n\n" + messages.subscription(language, byAccount),
                html(m, step, language, byAccount), byAccount);
    }

    @Override
    public void sendDigest(Channel channel, Digest d, Subscriber subscriber) throws DeliveryFailure {
        String language = subscriber.language();
        boolean byAccount = keptByAccount.test(subscriber.id());
        mail(channel, d.subject(), d.text(messages.details(language, d.link())) + "\n\n"
                + messages.subscription(language, byAccount), html(d, language, byAccount), byAccount);
    }

    /**
     * @param byAccount whether the subscriber is a dashboard account's, whose notifications page can stop its alerts
     */
    private void mail(Channel channel, String subject, String plain, String htmlText, boolean byAccount)
            throws DeliveryFailure {
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(from));
            mail.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(channel.address(), true));
            mail.setSubject(subject, StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date());
            if (byAccount) {
                mail.setHeader("List-Unsubscribe", "<" + messages.notificationsPage() + ">");
            }
            MimeBodyPart text = new MimeBodyPart();
            text.setText(plain, StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(htmlText, StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative", text, html);
            mail.setContent(alternative);
            Transport.send(mail);
        } catch (AddressException e) {
            throw new DeliveryFailure("address_invalid", false);
        } catch (SendFailedException e) {
            throw new DeliveryFailure("address_rejected", false);
        } catch (MessagingException e) {
            throw new DeliveryFailure("smtp_failed", true);
        }
    }

    private String html(Message m, AlertStep step, String language, boolean byAccount) {
        return "<!DOCTYPE html><html lang=\"" + language + "\"><body style=\"font-family:sans-serif\">"
                + "<h1 style=\"font-size:1.2em\">" + escape(m.headline()) + "</h1>"
                + "<p>" + escape(m.body()) + "</p>"
                + "<p><strong>" + escape(m.footer()) + "</strong></p>"
                + linkParagraph(m.link(), messages.details(language, m.link()))
                + feedbackParagraph(language, step.spikeId())
                + subscriptionParagraph(language, byAccount)
                + "</body></html>";
    }

    private String html(Digest d, String language, boolean byAccount) {
        StringBuilder items = new StringBuilder();
        for (Digest.Item i : d.items()) {
            items.append("<li><p>").append(escape(i.text())).append("</p>").append(linkParagraph(i.link(), i.details()))
                    .append(feedbackParagraph(language, i.step().spikeId())).append("</li>");
        }
        return "<!DOCTYPE html><html lang=\"" + language + "\"><body style=\"font-family:sans-serif\">"
                + "<h1 style=\"font-size:1.2em\">" + escape(d.headline()) + "</h1>"
                + "<ul>" + items + "</ul>"
                + "<p><strong>" + escape(d.footer()) + "</strong></p>"
                + linkParagraph(d.link(), messages.details(language, d.link()))
                + subscriptionParagraph(language, byAccount)
                + "</body></html>";
    }

    private String feedbackParagraph(String language, String spikeId) {
        return linkParagraph(messages.feedbackLink(spikeId), messages.feedback(language, spikeId));
    }

    /** The manage line as a link to the notifications page; the operator's line, which has none, as text. */
    private String subscriptionParagraph(String language, boolean byAccount) {
        String line = messages.subscription(language, byAccount);
        return byAccount ? linkParagraph(messages.notificationsPage(), line) : "<p>" + escape(line) + "</p>";
    }

    private static String linkParagraph(String href, String text) {
        return "<p><a href=\"" + escape(href) + "\">" + escape(text) + "</a></p>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
