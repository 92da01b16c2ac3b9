package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import lookout.kernel.Severity;
import lookout.schema.Alert;

class FeedsTest {
    private static final String SPIKE = "0f1e2d3c-0000-4000-8000-000000000001";

    @TempDir
    Path dir;

    private List<AlertStep> publishLifecycle() {
        Feeds feeds = new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES);
        List<AlertStep> steps = new ArrayList<>();
        for (AlertStep step : List.of(Steps.opened(SPIKE), Steps.worsened(SPIKE), Steps.closed(SPIKE))) {
            steps.add(step);
            feeds.publish(step, steps);
        }
        return steps;
    }

    private Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Document d, String ns, String name, int i) {
        return d.getElementsByTagNameNS(ns, name).item(i).getTextContent();
    }

    @Test
    void eachLifecycleStepIsOneCapMessageValidAgainstTheOasisSchema() throws Exception {
        Schema schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(SharedFiles.file("cap/CAP-v1.2.xsd").toFile());
        publishLifecycle();
        List<String> files;
        try (var list = Files.list(dir.resolve("cap"))) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("lookout-" + SPIKE + "-closed.xml", "lookout-" + SPIKE + "-opened.xml",
                "lookout-" + SPIKE + "-worsened-high.xml"), files);
        for (String f : files) {
            schema.newValidator().validate(new StreamSource(dir.resolve("cap").resolve(f).toFile()));
        }

        String ns = Feeds.CAP_NS;
        Document opened = parse(dir.resolve("cap/lookout-" + SPIKE + "-opened.xml"));
        assertEquals("Alert", text(opened, ns, "msgType", 0));
        assertEquals("2026-11-03T02:00:00-05:00", text(opened, ns, "sent", 0));
        assertEquals(0, opened.getElementsByTagNameNS(ns, "references").getLength());
        assertEquals(2, opened.getElementsByTagNameNS(ns, "info").getLength());
        assertEquals("en-CA", text(opened, ns, "language", 0));
        assertEquals("fr-CA", text(opened, ns, "language", 1));
        assertEquals("Moderate", text(opened, ns, "severity", 0));
        assertEquals("Moss Park", text(opened, ns, "areaDesc", 0));
        assertEquals("073", text(opened, ns, "value", 0));
        assertEquals("http://localhost:8080/alerts#alert-" + SPIKE, text(opened, ns, "web", 0));
        assertEquals(0, opened.getElementsByTagNameNS(ns, "polygon").getLength() + opened.getElementsByTagNameNS(ns, "circle").getLength());

        Document worse = parse(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml"));
        assertEquals("Update", text(worse, ns, "msgType", 0));
        assertEquals("Severe", text(worse, ns, "severity", 0));
        assertEquals("lookout@toronto.example.org,lookout-" + SPIKE + "-opened,2026-11-03T02:00:00-05:00",
                text(worse, ns, "references", 0));

        Document clear = parse(dir.resolve("cap/lookout-" + SPIKE + "-closed.xml"));
        assertEquals("Cancel", text(clear, ns, "msgType", 0));
        assertEquals("AllClear", text(clear, ns, "responseType", 0));
        assertEquals("2026-11-04T20:00:00-05:00", text(clear, ns, "sent", 0));
        assertEquals("lookout@toronto.example.org,lookout-" + SPIKE + "-opened,2026-11-03T02:00:00-05:00"
                + " lookout@toronto.example.org,lookout-" + SPIKE + "-worsened-high,2026-11-03T02:00:00-05:00",
                text(clear, ns, "references", 0));
    }

    @Test
    void theSchemaRefusesWhatTheFeedMustNotSay() throws Exception {
        Schema schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(SharedFiles.file("cap/CAP-v1.2.xsd").toFile());
        publishLifecycle();
        Path opened = dir.resolve("cap/lookout-" + SPIKE + "-opened.xml");
        Path broken = Files.writeString(dir.resolve("broken.xml"),
                Files.readString(opened).replace("2026-11-03T02:00:00-05:00", "2026-11-03T07:00:00Z"));
        assertThrows(SAXException.class, () -> schema.newValidator().validate(new StreamSource(broken.toFile())));
    }

    @Test
    void theAtomFeedListsEveryMessageNewestFirstLinkingToItsCapFile() throws Exception {
        publishLifecycle();
        String atom = "http://www.w3.org/2005/Atom";
        Document feed = parse(dir.resolve("alerts.atom"));
        NodeList entries = feed.getElementsByTagNameNS(atom, "entry");
        assertEquals(3, entries.getLength());
        Element newest = (Element) entries.item(0);
        assertEquals("All-clear: Moss Park", newest.getElementsByTagNameNS(atom, "title").item(0).getTextContent());
        assertEquals("2026-11-05T01:00:00Z", newest.getElementsByTagNameNS(atom, "updated").item(0).getTextContent());
        Element cap = (Element) newest.getElementsByTagNameNS(atom, "link").item(0);
        assertEquals("application/cap+xml", cap.getAttribute("type"));
        assertEquals("cap/lookout-" + SPIKE + "-closed.xml", cap.getAttribute("href"));
        Element page = (Element) newest.getElementsByTagNameNS(atom, "link").item(1);
        assertEquals("related", page.getAttribute("rel"));
        assertEquals("http://localhost:8080/alerts#alert-" + SPIKE, page.getAttribute("href"), "the alert's own card");
        assertEquals("More paramedic calls for overdoses than usual in Moss Park",
                ((Element) entries.item(2)).getElementsByTagNameNS(atom, "title").item(0).getTextContent());
        assertEquals("2026-11-05T01:00:00Z", text(feed, atom, "updated", 0));
        NodeList feedLinks = feed.getDocumentElement().getChildNodes();
        List<String> links = new ArrayList<>();
        for (int i = 0; i < feedLinks.getLength(); i++) {
            if (feedLinks.item(i) instanceof Element e && e.getLocalName().equals("link")) {
                links.add(e.getAttribute("rel") + " " + e.getAttribute("type") + " " + e.getAttribute("href"));
            }
        }
        assertEquals(List.of("self application/atom+xml alerts.atom",
                "alternate text/html http://localhost:8080/alerts"), links,
                "the feed names itself, relative to wherever it is served, and the page it follows");
        assertFalse(Files.exists(dir.resolve("alerts.atom.tmp")));
    }

    @Test
    void aPastAlertArrivingAfterALiveOneIsListedBelowItAndTheFeedIsDatedByItsNewestStep() throws Exception {
        Feeds feeds = new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES);
        long monthBefore = 30 * 24 * Steps.HOUR;
        Alert past = Steps.alert("0f1e2d3c-0000-4000-8000-000000000002", "opened", "moderate", 9);
        past = Alert.newBuilder(past).setOpenedAt(past.getOpenedAt() - monthBefore)
                .setUpdatedAt(past.getUpdatedAt() - monthBefore).build();
        List<AlertStep> steps = new ArrayList<>();
        for (AlertStep step : List.of(Steps.opened(SPIKE), AlertStep.of(past, AlertStep.Kind.OPENED,
                Severity.MODERATE))) {
            steps.add(step);
            feeds.publish(step, steps);
        }
        String atom = "http://www.w3.org/2005/Atom";
        Document feed = parse(dir.resolve("alerts.atom"));
        assertEquals("2026-11-03T07:00:00Z", text(feed, atom, "updated", 0));
        assertEquals("2026-11-03T07:00:00Z", text(feed, atom, "updated", 1));
        assertEquals("2026-10-04T07:00:00Z", text(feed, atom, "updated", 2));
    }

    @Test
    void aClusterAlertsCapMessageNamesEveryAreaOfItsZoneCentreFirst() throws Exception {
        Alert cluster = Alert.newBuilder(Steps.alert(SPIKE, "opened", "moderate", 9)).setMethod("scan_cluster")
                .setEvidence("{\"period\":\"1d\",\"areas\":[\"073\",\"074\"]}").build();
        AlertStep step = AlertStep.of(cluster, AlertStep.Kind.OPENED, Severity.MODERATE);
        new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES)
                .publish(step, List.of(step));
        Document cap = parse(dir.resolve("cap/lookout-" + SPIKE + "-opened.xml"));
        NodeList areas = cap.getElementsByTagNameNS(Feeds.CAP_NS, "areaDesc");
        assertEquals(4, areas.getLength(), "two areas in each of the two languages");
        assertEquals(List.of("Moss Park", "North St.James Town"),
                List.of(areas.item(0).getTextContent(), areas.item(1).getTextContent()));
        assertEquals("074", text(cap, Feeds.CAP_NS, "value", 1));
    }

    @Test
    void aStepJournaledButNotPublishedIsWrittenWhenTheNotifierStarts() throws Exception {
        List<AlertStep> steps = publishLifecycle();
        byte[] worse = Files.readAllBytes(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml"));
        Files.delete(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml"));
        new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES).publishAll(steps);
        assertEquals(new String(worse), Files.readString(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml")));
    }

    @Test
    void aReplayWritesTheSameBytes() throws Exception {
        publishLifecycle();
        byte[] first = Files.readAllBytes(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml"));
        byte[] atom = Files.readAllBytes(dir.resolve("alerts.atom"));
        publishLifecycle();
        assertEquals(new String(first), Files.readString(dir.resolve("cap/lookout-" + SPIKE + "-worsened-high.xml")));
        assertEquals(new String(atom), Files.readString(dir.resolve("alerts.atom")));
    }

    /** The alert's free-text fields never reach a message, a payload or a feed: they are built from the step. */
    @Test
    void thePublicFeedsGiveNoCountAndNoAlertOfTheCombinedSignalsWhileSubscribersMessagesKeepThem() throws Exception {
        lookout.schema.Alert cluster = Steps.alert("cluster-1", "opened", "high", 11);
        cluster.setMethod(AlertStep.CLUSTER_METHOD);
        cluster.setEvidence("{\"areas\": [\"073\", \"074\"]}");
        lookout.schema.Alert combined = Steps.alert("combined-1", "opened", "high", 12);
        combined.setSignal("combined");
        lookout.schema.Alert paramedic = Steps.alert("paramedic-1", "opened", "high", 13);
        List<AlertStep> steps = new ArrayList<>();
        for (lookout.schema.Alert a : List.of(cluster, combined, paramedic)) {
            steps.add(AlertStep.of(a, AlertStep.Kind.OPENED, lookout.kernel.Severity.HIGH));
        }
        // What an earlier version wrote for the combined alert, which the notifier's start must take back.
        Path combinedCap = Files.createDirectories(dir.resolve("cap")).resolve("lookout-combined-1-opened.xml");
        Files.writeString(combinedCap, "<alert>12 in 6 hours</alert>");
        Feeds feeds = new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES);
        feeds.publishAll(steps);

        String ns = Feeds.CAP_NS;
        Document clusterCap = parse(dir.resolve("cap/lookout-cluster-1-opened.xml"));
        assertEquals("More paramedic calls for overdoses than usual in Moss Park and a neighbouring area since"
                + " Mon. 2 Nov., 8 p.m.; alert level: high.", text(clusterCap, ns, "description", 0));
        assertEquals("Hausse inhabituelle à Moss Park et un quartier voisin depuis lun. 2 nov., 20 h (appels aux"
                + " paramédics pour surdose). Niveau d'alerte : élevé.", text(clusterCap, ns, "description", 1));
        Document paramedicCap = parse(dir.resolve("cap/lookout-paramedic-1-opened.xml"));
        assertEquals("More paramedic calls for overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m.; alert"
                + " level: high.", text(paramedicCap, ns, "description", 0));
        assertFalse(Files.exists(combinedCap));
        Document feed = parse(dir.resolve("alerts.atom"));
        assertEquals(2, feed.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength());
        String atom = Files.readString(dir.resolve("alerts.atom"));
        assertFalse(atom.contains(" in 6 hours") || atom.contains("usually"), atom);

        Message toSubscribers = Steps.messages().compose(steps.get(2), "Moss Park", "en");
        assertTrue(toSubscribers.text("").contains("13 in 6 hours; usually about 1."), toSubscribers.text(""));
    }

    @Test
    void anAlertReachesThePublicFeedsOnlyOnceItCountsAtLeastKEventsAndThenAsAnAlertThatItsAllClearFollows()
            throws Exception {
        AlertStep small = AlertStep.of(Steps.alert("small", "opened", "high", null), AlertStep.Kind.OPENED,
                lookout.kernel.Severity.HIGH);
        AlertStep grown = AlertStep.of(Steps.alert("grown", "opened", "moderate", null), AlertStep.Kind.OPENED,
                lookout.kernel.Severity.MODERATE);
        AlertStep grownWorse = AlertStep.of(Steps.alert("grown", "updated", "high", 7), AlertStep.Kind.WORSENED,
                lookout.kernel.Severity.HIGH);
        AlertStep grownClosed = AlertStep.of(Steps.alert("grown", "closed", "high", null), AlertStep.Kind.CLOSED,
                lookout.kernel.Severity.HIGH);
        AlertStep smallClosed = AlertStep.of(Steps.alert("small", "closed", "high", 6), AlertStep.Kind.CLOSED,
                lookout.kernel.Severity.HIGH);
        AlertStep counted = AlertStep.of(Steps.alert("counted", "opened", "moderate", null), AlertStep.Kind.OPENED,
                lookout.kernel.Severity.MODERATE);
        AlertStep countedAtK = AlertStep.of(Steps.alert("counted", "updated", "moderate", 5), AlertStep.Kind.COUNTED,
                lookout.kernel.Severity.MODERATE);
        Feeds feeds = new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES);
        List<AlertStep> steps = new ArrayList<>();
        for (AlertStep step : List.of(small, grown, grownWorse, grownClosed, smallClosed, counted, countedAtK)) {
            steps.add(step);
            feeds.publish(step, steps);
        }
        try (var list = Files.list(dir.resolve("cap"))) {
            assertEquals(List.of("lookout-counted-counted.xml", "lookout-grown-closed.xml",
                    "lookout-grown-worsened-high.xml"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Document atK = parse(dir.resolve("cap/lookout-counted-counted.xml"));
        assertEquals("Alert", text(atK, Feeds.CAP_NS, "msgType", 0), "an alert that reached k at the same severity");
        assertEquals("More paramedic calls for overdoses than usual in Moss Park",
                text(atK, Feeds.CAP_NS, "headline", 0));
        Document first = parse(dir.resolve("cap/lookout-grown-worsened-high.xml"));
        assertEquals("Alert", text(first, Feeds.CAP_NS, "msgType", 0), "the public's first message of the alert");
        assertEquals(0, first.getElementsByTagNameNS(Feeds.CAP_NS, "references").getLength());
        assertEquals("Cancel", text(parse(dir.resolve("cap/lookout-grown-closed.xml")), Feeds.CAP_NS, "msgType", 0));
        assertEquals(List.of(grownWorse, grownClosed, countedAtK), Feeds.publicSteps(steps));
    }

    @Test
    void theAlertsExplanationEvidenceAndMethodReachNoMessageOrFeed() throws Exception {
        lookout.schema.Alert alert = Steps.alert(SPIKE, "opened", "high", 9);
        alert.setExplanation("CANARY-EXPLANATION at 43.6532,-79.3832");
        alert.setEvidence("{\"site\": \"CANARY-SITE\"}");
        alert.setMethod("CANARY-METHOD");
        AlertStep step = AlertStep.of(alert, AlertStep.Kind.OPENED, lookout.kernel.Severity.HIGH);
        Feeds feeds = new Feeds(dir, "lookout@toronto.example.org", Steps.TORONTO, Steps.messages(), Steps.NAMES);
        feeds.publish(step, List.of(step));
        StringBuilder all = new StringBuilder(Files.readString(dir.resolve("alerts.atom")))
                .append(Files.readString(dir.resolve("cap/lookout-" + SPIKE + "-opened.xml")));
        WebhookSender webhooks = new WebhookSender(Steps.messages(), Steps.NAMES);
        for (String language : Messages.LANGUAGES) {
            Message m = Steps.messages().compose(step, "Moss Park", language);
            all.append(m.subject()).append(m.text("")).append(m.sms());
            for (Channel.WebhookKind kind : Channel.WebhookKind.values()) {
                all.append(webhooks.payload(kind, m, step, language));
            }
        }
        assertFalse(all.toString().contains("CANARY"));
        assertFalse(all.toString().contains("43.65"));
    }
}
