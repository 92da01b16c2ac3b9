package lookout.notify;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import lookout.kernel.Severity;

/**
 * The public feeds, written as files into one directory for any web server (the dashboards, a CDN) to serve: a
 * CAP 1.2 message per lifecycle step, {@code cap/IDENTIFIER.xml} (the opening an {@code Alert}, a worsening an
 * {@code Update} and the all-clear a {@code Cancel}, each referencing the messages before it), and
 * {@code alerts.atom}, an Atom feed with one entry per message, newest first, linking to its CAP file. Each file
 * is written whole and renamed into place, so a reader never sees half of one. A message is built from the step
 * alone, so a replay writes the same bytes. Places are named, never drawn: no polygon, no coordinate.
 */
public final class Feeds {
    public static final String CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2";
    private static final String ATOM_NS = "http://www.w3.org/2005/Atom";
    /**
     * Made once: {@link XMLOutputFactory#newFactory()} searches every jar of the class path for a provider, which
     * with the notifier's class path costs more than writing the feed. Its writers are created per file.
     */
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    /** CAP times need a numeric offset (the schema refuses {@code Z}). */
    private static final DateTimeFormatter CAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    /** The most entries the Atom feed lists. */
    static final int ATOM_ENTRIES = 200;

    private final Path dir;
    private final String sender;
    private final ZoneId zone;
    private final Messages messages;
    private final AreaNames areaNames;

    public Feeds(Path dir, String sender, ZoneId zone, Messages messages, AreaNames areaNames) {
        this.dir = dir;
        this.sender = sender;
        this.zone = zone;
        this.messages = messages;
        this.areaNames = areaNames;
    }

    /**
     * Writes the step's CAP message and the Atom feed of all steps ({@code steps} includes this one), if the step
     * is one the public may see ({@link #publicSteps}).
     */
    public void publish(AlertStep step, List<AlertStep> steps) {
        // Whether a step is public depends only on the steps before it, so one pass serves the CAP file and the feed.
        List<AlertStep> shown = publicSteps(steps);
        int at = shown.indexOf(step);
        if (at < 0) {
            return;
        }
        publishCap(step, shown.subList(0, at));
        write(dir.resolve("alerts.atom"), out -> atom(shown, out));
    }

    /**
     * The steps the public feeds carry, in order: those of an alert on a public signal ({@link AlertStep#isPublic})
     * from its first opening or worsening of at least k events on (the job gives no count below k), so its all-clear
     * follows, but an all-clear alone is not told. An alert of fewer than k events would tell the public what the
     * open data withholds: an event in that area that day, its hour, and by its severity (the count over the usual
     * level) how many, 1, 2 or 3 in a quiet area.
     */
    static List<AlertStep> publicSteps(List<AlertStep> steps) {
        Set<String> shownAlerts = new HashSet<>();
        List<AlertStep> shown = new ArrayList<>();
        for (AlertStep step : steps) {
            if (AlertStep.safeId(step.spikeId())
                    && (step.opensToThePublic() || step.isPublic() && shownAlerts.contains(step.spikeId()))) {
                shownAlerts.add(step.spikeId());
                shown.add(step);
            }
        }
        return shown;
    }

    /** Writes the step's CAP message, referring to the earlier steps of its alert among {@code earlier}. */
    private void publishCap(AlertStep step, List<AlertStep> earlier) {
        List<AlertStep> before = earlier.stream().filter(s -> s.spikeId().equals(step.spikeId())).toList();
        write(capFile(step), out -> cap(step, before, out));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the feed file " + file, e);
        }
    }

    /**
     * Writes the CAP message of every public step again and the Atom feed, and deletes the CAP messages of steps the
     * public may not see; the notifier calls it when it starts. So a step journalled but not published (a crash in
     * between) gets its message, and a feed written by an earlier version says only what this one says.
     */
    public void publishAll(List<AlertStep> steps) {
        List<AlertStep> shown = publicSteps(steps);
        for (AlertStep step : steps) {
            // A journal of an earlier version may hold a step whose id is no file name: it has no CAP file.
            if (!AlertStep.safeId(step.spikeId())) {
                continue;
            }
            int at = shown.indexOf(step);
            if (at >= 0) {
                publishCap(step, shown.subList(0, at));
            } else {
                delete(capFile(step));
            }
        }
        // Written even when empty, so that the public feed's address answers from the notifier's start.
        write(dir.resolve("alerts.atom"), out -> atom(shown, out));
    }

    private Path capFile(AlertStep step) {
        return dir.resolve("cap").resolve(identifier(step) + ".xml");
    }

    public static String identifier(AlertStep step) {
        return "lookout-" + step.spikeId() + "-" + step.code();
    }

    private String sent(AlertStep step) {
        return CAP_TIME.format(Instant.ofEpochMilli(step.at()).atZone(zone));
    }

    void cap(AlertStep step, List<AlertStep> before, XMLStreamWriter w) throws XMLStreamException {
        w.writeStartDocument("UTF-8", "1.0");
        w.writeStartElement("alert");
        w.writeDefaultNamespace(CAP_NS);
        element(w, "identifier", identifier(step));
        element(w, "sender", sender);
        element(w, "sent", sent(step));
        element(w, "status", "Actual");
        // An alert first told when it reached k events is an Alert to the public, whatever step that was.
        element(w, "msgType", before.isEmpty() ? "Alert" : switch (step.kind()) {
            case OPENED, COUNTED -> "Alert";
            case WORSENED -> "Update";
            case CLOSED -> "Cancel";
        });
        element(w, "scope", "Public");
        if (!before.isEmpty()) {
            List<String> refs = new ArrayList<>();
            for (AlertStep b : before) {
                refs.add(sender + "," + identifier(b) + "," + sent(b));
            }
            element(w, "references", String.join(" ", refs));
        }
        String areaName = areaNames.name(step.areaId());
        for (String language : Messages.LANGUAGES) {
            Message m = messages.composePublic(step, areaName, language);
            boolean closed = step.kind() == AlertStep.Kind.CLOSED;
            w.writeStartElement("info");
            element(w, "language", messages.word(language, "language.tag"));
            element(w, "category", "Health");
            element(w, "event", messages.word(language, "cap.event"));
            element(w, "responseType", closed ? "AllClear" : "Monitor");
            element(w, "urgency", closed ? "Past" : "Immediate");
            element(w, "severity", closed ? "Minor" : capSeverity(step.severity()));
            element(w, "certainty", closed ? "Observed" : "Likely");
            element(w, "effective", sent(step));
            element(w, "senderName", "Lookout");
            element(w, "headline", m.headline());
            element(w, "description", m.body());
            element(w, "instruction", m.footer());
            element(w, "web", m.link());
            // A cluster alert is about every area of its zone, each a CAP area of its own, centre first.
            for (String area : step.zone().isEmpty() ? List.of(step.areaId()) : step.zone()) {
                w.writeStartElement("area");
                element(w, "areaDesc", areaNames.name(area));
                w.writeStartElement("geocode");
                element(w, "valueName", "lookout:area_id");
                element(w, "value", area);
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndDocument();
    }

    static String capSeverity(Severity s) {
        return switch (s) {
            case LOW -> "Minor";
            case MODERATE -> "Moderate";
            case HIGH -> "Severe";
            case CRITICAL -> "Extreme";
        };
    }

    void atom(List<AlertStep> steps, XMLStreamWriter w) throws XMLStreamException {
        List<AlertStep> newest = new ArrayList<>(steps);
        Collections.reverse(newest);
        // Steps are journaled as they arrive, and a job catching up on a backlog sends its past after a live alert:
        // the feed is ordered by the steps' own times (a stable sort, so steps of one time stay newest-arrived first).
        newest.sort(Comparator.comparingLong(AlertStep::at).reversed());
        newest = newest.subList(0, Math.min(ATOM_ENTRIES, newest.size()));
        String language = Messages.LANGUAGES.get(0);
        w.writeStartDocument("UTF-8", "1.0");
        w.writeStartElement("feed");
        w.writeDefaultNamespace(ATOM_NS);
        element(w, "id", urn("feed|" + sender));
        element(w, "title", "Lookout: " + messages.word(language, "cap.event"));
        element(w, "updated", newest.isEmpty() ? Instant.EPOCH.toString() : atomTime(newest.get(0)));
        // Relative, as the entries' CAP links are: the feed may be served from any address (the dashboards' /feeds/).
        link(w, "self", "application/atom+xml", "alerts.atom");
        link(w, "alternate", "text/html", messages.alertsPage());
        w.writeStartElement("author");
        element(w, "name", sender);
        w.writeEndElement();
        for (AlertStep step : newest) {
            Message m = messages.composePublic(step, areaNames.name(step.areaId()), language);
            w.writeStartElement("entry");
            element(w, "id", urn(identifier(step)));
            element(w, "title", m.headline());
            element(w, "updated", atomTime(step));
            link(w, "alternate", "application/cap+xml", "cap/" + identifier(step) + ".xml");
            link(w, "related", "text/html", m.link());
            w.writeEmptyElement("category");
            w.writeAttribute("term", step.severity().code());
            w.writeStartElement("summary");
            w.writeCharacters(m.body() + " " + m.footer());
            w.writeEndElement();
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndDocument();
    }

    private static void link(XMLStreamWriter w, String rel, String type, String href) throws XMLStreamException {
        w.writeEmptyElement("link");
        w.writeAttribute("rel", rel);
        w.writeAttribute("type", type);
        w.writeAttribute("href", href);
    }

    private static String atomTime(AlertStep step) {
        return Instant.ofEpochMilli(step.at()).toString();
    }

    private static String urn(String name) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static void write(Path file, Body body) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
                body.write(w);
                w.close();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feed file " + file, e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the feed file " + file, e);
        }
    }
}
