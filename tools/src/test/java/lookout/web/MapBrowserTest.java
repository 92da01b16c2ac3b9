package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The map at {@code /} over a backfilled year of Toronto with a spike, in headless Chromium at desktop and phone
 * width: every area drawn, the spike's area in its alert colour, the legend in words, a click opening the area.
 */
@Timeout(300)
class MapBrowserTest extends OnTorontoDashboards {
    /** The alert colours of static/lookout.css as the browser computes them. */
    static final Map<String, String> ALERT_FILLS = Map.of("critical", "rgb(178, 24, 43)", "high", "rgb(213, 94, 0)",
            "moderate", "rgb(230, 159, 0)", "low", "rgb(240, 228, 66)");
    /** The CSS class of each status of the API (an alert's adds its severity). */
    static final Map<String, String> STATUS_CLASSES = Map.of("alert", "status-alert", "above usual", "status-above",
            "data incomplete", "status-incomplete", "usual", "status-usual", "too few to show", "status-too-few",
            "no data", "status-no-data");
    static final List<String> LEGEND = List.of("Alert (critical)", "Alert (high)", "Alert (moderate)", "Alert (low)",
            "Higher than usual", "Data incomplete", "Usual", "Too few to show", "No data");

    /** The fills the map's SVG download writes for the statuses other than alerts. */
    static final Map<String, String> EXPORT_FILLS = Map.of("above usual", "rgb(204, 121, 167)",
            "data incomplete", "url(#incomplete)", "usual", "rgb(86, 180, 233)", "too few to show", "url(#hatch)",
            "no data", "rgb(255, 255, 255)");
    static final String SVG = "http://www.w3.org/2000/svg";

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        browsers = Browsers.start();
        browsers.show(dashboards.uri("/"), "MapBrowserTest", "map");
    }

    private static Object js(Chromium c, String script, Object... args) {
        return ((JavascriptExecutor) c.driver()).executeScript(script, args);
    }

    @Test
    void everyAreaIsDrawnInsideTheMapInItsStatusColourAtBothWidths() throws Exception {
        JsonNode spike = null;
        Set<String> ids = new TreeSet<>();
        Map<String, String> classes = new TreeMap<>();
        for (JsonNode f : dashboards.json("/api/areas", null).get("features")) {
            ids.add(f.at("/properties/area_id").asText());
            classes.put(f.at("/properties/area_id").asText(), STATUS_CLASSES.get(f.at("/properties/status").asText())
                    + (f.at("/properties/severity").isNull() ? "" : "-" + f.at("/properties/severity").asText()));
            if (f.at("/properties/area_id").asText().equals(TorontoSnapshot.SPIKE_AREA)) {
                spike = f.get("properties");
            }
        }
        assertEquals(158, ids.size());
        assertEquals("alert", spike.get("status").asText(), "the spike's alert is open: " + spike);
        String severity = spike.get("severity").asText();
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            c.load(dashboards.uri("/"), Browsers.READY);
            List<WebElement> paths = c.driver().findElements(By.cssSelector("#map svg path.area"));
            Set<String> drawn = new TreeSet<>();
            paths.forEach(p -> drawn.add(p.getAttribute("data-area-id")));
            WebElement spikePath = c.driver().findElement(
                    By.cssSelector("#map path[data-area-id='" + TorontoSnapshot.SPIKE_AREA + "']"));
            @SuppressWarnings("unchecked")
            Map<String, Number> fit = (Map<String, Number>) js(c, """
                    const map = document.getElementById('map').getBoundingClientRect();
                    const parts = [...document.querySelectorAll('#map path.area')].map(p => p.getBoundingClientRect());
                    return {outside: parts.filter(r => r.left < map.left - 1 || r.right > map.right + 1
                                || r.top < map.top - 1 || r.bottom > map.bottom + 1).length,
                            mapWidth: map.width, pageWidth: document.documentElement.scrollWidth};""");
            String name = c.viewport().name();
            assertAll(name,
                    () -> assertEquals(158, paths.size(), "one SVG path per area"),
                    () -> assertEquals(ids, drawn, "every area of the API drawn"),
                    () -> assertEquals(List.of(), js(c, """
                            const want = JSON.parse(arguments[0]);
                            return Object.keys(want).filter(id => !document.querySelector(
                                '#map path[data-area-id="' + id + '"]').classList.contains(want[id]));""",
                            JSON.writeValueAsString(classes)), "every area in the class of its status"),
                    () -> assertEquals(ALERT_FILLS.get(severity), js(c, "return getComputedStyle(arguments[0]).fill",
                            spikePath), "the spike's area in the colour of an alert (" + severity + ")"),
                    () -> assertEquals(0, fit.get("outside").intValue(), "the whole city fits in the map"),
                    () -> assertTrue(fit.get("pageWidth").intValue() <= c.viewport().width(),
                            "nothing wider than the screen: " + fit),
                    () -> assertEquals(LEGEND, c.driver().findElements(By.cssSelector("ul.legend li")).stream()
                            .map(WebElement::getText).toList()));
        }
    }

    /**
     * A map hidden and shown again (in a collapsed part of a page, or while a screenshot is taken) is fitted to
     * the city again. It used to be fitted to no room: Leaflet's zoom for that is infinite, the areas vanished and
     * no later fit brought them back (the outreach lead's phone screenshot of the home page showed an empty map).
     */
    @Test
    void aMapHiddenAndShownAgainDrawsTheWholeCity() {
        browsers.forgetSessions();
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            c.load(dashboards.uri("/"), Browsers.READY);
            for (String display : List.of("none", "")) {
                ((JavascriptExecutor) c.driver()).executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        document.getElementById('map').style.display = arguments[0];
                        window.dispatchEvent(new Event('resize'));
                        requestAnimationFrame(() => requestAnimationFrame(done));""", display);
            }
            @SuppressWarnings("unchecked")
            Map<String, Number> fit = (Map<String, Number>) js(c, """
                    const map = document.getElementById('map').getBoundingClientRect();
                    const parts = [...document.querySelectorAll('#map path.area')].map(p => p.getBoundingClientRect());
                    const inside = parts.filter(r => r.width > 0 && r.left >= map.left - 1 && r.right <= map.right + 1
                            && r.top >= map.top - 1 && r.bottom <= map.bottom + 1);
                    return {inside: inside.length,
                            width: Math.max(...inside.map(r => r.right)) - Math.min(...inside.map(r => r.left)),
                            height: Math.max(...inside.map(r => r.bottom)) - Math.min(...inside.map(r => r.top)),
                            mapWidth: map.width, mapHeight: map.height};""");
            String name = c.viewport().name();
            assertEquals(158, fit.get("inside").intValue(), name + ": every area drawn inside the map: " + fit);
            assertTrue(fit.get("width").doubleValue() > 0.9 * fit.get("mapWidth").doubleValue()
                    || fit.get("height").doubleValue() > 0.9 * fit.get("mapHeight").doubleValue(),
                    name + ": the city fills the map's width or height: " + fit);
        }
    }

    @Test
    void tooFewToShowIsHatchedAndNoDataBlank() {
        browsers.forgetSessions();
        Chromium c = browsers.desktop;
        c.load(dashboards.uri("/"), Browsers.READY);
        String tooFew = (String) js(c, "return getComputedStyle(document.querySelector('ul.legend .status-too-few')).fill");
        String noData = (String) js(c, "return getComputedStyle(document.querySelector('ul.legend .status-no-data')).fill");
        assertTrue(tooFew.startsWith("url(") && tooFew.contains("#hatch"), tooFew);
        assertEquals("rgb(255, 255, 255)", noData);
        assertNotEquals(tooFew, noData);
    }

    @Test
    void hoveringAnAreaNamesItsStatusAndClickingItOpensTheArea() {
        browsers.forgetSessions();
        Chromium c = browsers.desktop;
        c.load(dashboards.uri("/"), Browsers.READY);
        String tooltip = hover(c, TorontoSnapshot.SPIKE_AREA);
        assertTrue(tooltip.matches("Yonge-Bay Corridor: Alert \\((critical|high|moderate|low)\\)"), tooltip);
        new Actions(c.driver()).click().perform();
        new WebDriverWait(c.driver(), Browsers.READY)
                .until(d -> d.getCurrentUrl().endsWith("/areas/" + TorontoSnapshot.SPIKE_AREA));
    }

    /**
     * An area's name comes from the boundaries file: markup in it is the name's text, never the page's. Leaflet
     * puts a tooltip given as a string in as HTML, so the name used to become an image whose error handler ran.
     */
    @Test
    void anAreaNamedWithMarkupIsShownAsTextAndNothingOfItRuns() throws Exception {
        String markup = "<img src=x onerror=\"document.body.dataset.ranFromAName = 1\">";
        LiveDashboards renamed = onACopy(sql("UPDATE areas SET name = '" + markup + "' WHERE area_id = '"
                + TorontoSnapshot.SPIKE_AREA + "'"));
        browsers.forgetSessions();
        Chromium c = browsers.desktop;
        c.load(renamed.uri("/"), Browsers.READY);
        String tooltip = hover(c, TorontoSnapshot.SPIKE_AREA);
        assertAll(() -> assertTrue(tooltip.startsWith(markup + ": Alert ("), tooltip),
                () -> assertEquals(0L, js(c, "return document.querySelectorAll('#map img:not(.leaflet-tile)').length")),
                () -> assertEquals(null, js(c, "return document.body.dataset.ranFromAName || null")));
    }

    /** Moves the mouse onto a point of the area's shape and gives the tooltip that opens. */
    private static String hover(Chromium c, String areaId) {
        @SuppressWarnings("unchecked")
        Map<String, Number> inside = (Map<String, Number>) js(c, """
                const path = document.querySelector('#map path[data-area-id="' + arguments[0] + '"]');
                const r = path.getBoundingClientRect();
                for (let y = r.top + 1; y < r.bottom; y += 2) {
                  for (let x = r.left + 1; x < r.right; x += 2) {
                    if (document.elementFromPoint(x, y) === path) { return {x: Math.round(x), y: Math.round(y)}; }
                  }
                }
                return null;""", areaId);
        new Actions(c.driver()).moveToLocation(inside.get("x").intValue(), inside.get("y").intValue()).perform();
        return new WebDriverWait(c.driver(), Browsers.READY).until(d -> {
            List<WebElement> t = d.findElements(By.cssSelector(".leaflet-tooltip"));
            return t.isEmpty() ? null : t.get(0).getText();
        });
    }

    /**
     * The map downloads as SVG and PNG from a phone: at least 800 pixels wide, every area in its status's colour
     * (the hatched ones with the pattern in the file), the caption with its days above and the legend below; a
     * signed-in user's map is marked restricted.
     */
    @Test
    void theMapDownloadsAsSvgAndPngWithItsCaptionAndLegend(@TempDir Path downloads) throws Exception {
        browsers.forgetSessions();
        Chromium c = browsers.phone;
        c.load(dashboards.uri("/"), Browsers.READY);
        assertEquals("Download this map with its legend: SVG (drawings, print) or PNG (documents, slides)",
                c.driver().findElement(By.cssSelector("p.download")).getText());
        Path svgFile = Downloads.save(c.driver(), c.driver().findElement(By.id("map-svg")),
                Files.createDirectories(downloads.resolve("public")), "lookout-map-2026-02-28.svg");
        Document svg = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(svgFile.toFile());
        Element root = svg.getDocumentElement();
        int width = Integer.parseInt(root.getAttribute("width"));
        Map<String, String> fills = new TreeMap<>();
        NodeList paths = svg.getElementsByTagNameNS(SVG, "path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element p = (Element) paths.item(i);
            fills.put(p.getAttribute("data-area-id"), p.getAttribute("fill"));
        }
        Map<String, String> want = new TreeMap<>();
        for (JsonNode f : dashboards.json("/api/areas", null).get("features")) {
            String status = f.at("/properties/status").asText();
            want.put(f.at("/properties/area_id").asText(), status.equals("alert")
                    ? ALERT_FILLS.get(f.at("/properties/severity").asText()) : EXPORT_FILLS.get(status));
        }
        List<String> texts = texts(svg);
        assertAll(
                () -> assertEquals(SVG, root.getNamespaceURI()),
                () -> assertTrue(width >= 800, "wide enough for a page: " + width),
                () -> assertEquals(want, fills, "every area in its status's colour"),
                () -> assertEquals(1, patterns(svg).stream().filter("hatch"::equals).count(),
                        "the hatch is in the file"),
                () -> assertEquals("Lookout: neighbourhood status over the 7 days to 28 February 2026, from public"
                        + " reports (paramedic, coroner, naloxone, drug checking).",
                        String.join(" ", texts.subList(0, texts.size() - LEGEND.size()))),
                () -> assertEquals(LEGEND, texts.subList(texts.size() - LEGEND.size(), texts.size())));

        BufferedImage png = ImageIO.read(Downloads.save(c.driver(), c.driver().findElement(By.id("map-png")),
                downloads.resolve("public"), "lookout-map-2026-02-28.png").toFile());
        int alertPixels = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                alertPixels += (png.getRGB(x, y) & 0xffffff) == 0xd55e00 ? 1 : 0;
            }
        }
        assertEquals(2 * width, png.getWidth(), "twice the drawing's size");
        assertTrue(alertPixels > 100, "the spike's area and the legend's swatch in the alert's colour: " + alertPixels);

        // Zoomed in: the areas in view, cut at its edges, and a caption that says so.
        for (int i = 0; i < 3; i++) {
            c.driver().findElement(By.cssSelector(".leaflet-control-zoom-in")).click();
        }
        new WebDriverWait(c.driver(), Browsers.READY).until(d -> d.findElements(
                By.cssSelector("#map.leaflet-zoom-anim")).isEmpty()
                && !d.findElements(By.cssSelector("#map path.area[d='M0 0']")).isEmpty());
        Document zoomed = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(
                Downloads.save(c.driver(), c.driver().findElement(By.id("map-svg")),
                        Files.createDirectories(downloads.resolve("zoomed")), "lookout-map-2026-02-28.svg").toFile());
        int inView = zoomed.getElementsByTagNameNS(SVG, "path").getLength();
        assertTrue(inView > 0 && inView < 158, "only the areas in view: " + inView);
        assertTrue(String.join(" ", texts(zoomed)).contains("Part of the city, as zoomed in."),
                texts(zoomed).toString());

        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        c.load(dashboards.uri("/"), Browsers.READY);
        Document restricted = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(
                Downloads.save(c.driver(), c.driver().findElement(By.id("map-svg")),
                        Files.createDirectories(downloads.resolve("analyst")), "lookout-map-2026-02-28.svg").toFile());
        assertTrue(String.join(" ", texts(restricted)).contains("Restricted: not for publication."));
        assertEquals(List.of(), c.consoleErrors());
    }

    private static List<String> texts(Document svg) {
        NodeList nodes = svg.getElementsByTagNameNS(SVG, "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    private static List<String> patterns(Document svg) {
        NodeList nodes = svg.getElementsByTagNameNS(SVG, "pattern");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(((Element) nodes.item(i)).getAttribute("id"));
        }
        return out;
    }

    /** A first visit, with nothing cached: about 100 KB, half of it Leaflet and half the areas. */
    @Test
    void thePageIsLight() {
        browsers.forgetSessions();
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            c.driver().executeCdpCommand("Network.clearBrowserCache", Map.of());
            c.load(dashboards.uri("/"), Browsers.READY);
            Chromium.Timing t = c.timing();
            System.out.printf("MapBrowserTest: the map at %s width: %d bytes over the wire in %d requests, ready in %.0f ms%n",
                    c.viewport().name(), t.transferBytes(), t.requests(), t.readyMs());
            assertTrue(t.transferBytes() < 150_000, t.toString());
            assertEquals(6, t.requests(), "the page, two style sheets, two scripts and the areas: " + t);
        }
    }
}
