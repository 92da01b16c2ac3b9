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

/** Files the dashboards offer for download, saved by Chromium as a user's click saves them. */
final class Downloads {
    private Downloads() {}

    /**
     * Clicks {@code link} and waits for the file Chromium saves in {@code dir} under {@code fileName}: until it holds
     * something and no download is in progress there, as Chromium may create the file before it writes it.
     */
    static Path save(ChromeDriver d, WebElement link, Path dir, String fileName) throws Exception {
        d.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dir.toString()));
        link.click();
        Path file = dir.resolve(fileName);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!saved(dir, file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try (var listed = Files.list(dir)) {
            assertTrue(saved(dir, file), "saved as " + fileName + ": " + listed.toList());
        }
        return file;
    }

    private static boolean saved(Path dir, Path file) throws Exception {
        try (var listed = Files.list(dir)) {
            return Files.exists(file) && Files.size(file) > 0
                    && listed.noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        }
    }

    /**
     * Saves the CSV of the area page chart {@code chart} (its figure's id) and returns its rows split at commas,
     * after checking the link's text, the file's name and the header.
     */
    static List<String[]> chartRows(ChromeDriver d, Path dir, String chart, String fileName, String header)
            throws Exception {
        WebElement link = d.findElement(By.cssSelector("#" + chart + " .download a"));
        assertEquals("Download these numbers (CSV)", link.getText());
        String csv = Files.readString(save(d, link, dir, fileName));
        assertTrue(csv.endsWith("\r\n"), "CRLF line ends");
        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals(header, lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }
}
