package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** An area page chart's CSV download, saved by Chromium as a user's click saves it. */
final class ChartDownload {
    private ChartDownload() {}

    /**
     * Clicks the download link of the chart {@code chart} (its figure's id) and reads the file Chromium saves in
     * {@code dir}: the rows of the CSV, split at commas, after checking the link's text, the file's name and the
     * header.
     */
    static List<String[]> rows(ChromeDriver d, Path dir, String chart, String fileName, String header)
            throws Exception {
        WebElement link = d.findElement(By.cssSelector("#" + chart + " .download a"));
        assertEquals("Download these numbers (CSV)", link.getText());
        d.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dir.toString()));
        link.click();
        Path file = dir.resolve(fileName);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try (var saved = Files.list(dir)) {
            assertTrue(Files.exists(file), "saved as " + fileName + ": " + saved.toList());
        }
        String csv = Files.readString(file);
        assertTrue(csv.endsWith("\r\n"), "CRLF line ends");
        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals(header, lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }
}
