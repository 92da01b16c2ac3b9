package lookout.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * The notifier's public feeds of the alerts (its {@code feed.dir}: {@code alerts.atom} and a CAP 1.2 message per
 * alert change, {@code cap/ID.xml}), served as the notifier wrote them at {@value #ATOM} and {@value #CAP}: a
 * partner's site, an alerting service or a feed reader follows the public alerts without an account. The notifier
 * writes each file whole and renames it into place, so a request reads one whole version. Only the names the
 * notifier writes are served, so no request reaches outside the directory.
 */
public final class AlertFeedFiles implements Feature {
    public static final String ATOM = "/feeds/alerts.atom";
    static final String CAP = "/feeds/cap/{name}";
    /** IANA's type for CAP messages. */
    static final String CAP_CONTENT_TYPE = "application/cap+xml; charset=utf-8";
    /** The notifier's CAP file names: {@code lookout-SPIKE-STEP.xml}. */
    private static final Pattern CAP_NAME = Pattern.compile("[a-z0-9-]{1,128}\\.xml");

    private final Path dir;

    /** @param dir the notifier's {@code feed.dir}, or null when this server does not publish the alert feeds */
    AlertFeedFiles(Path dir) {
        this.dir = dir;
    }

    boolean published() {
        return dir != null;
    }

    @Override
    public void routes(JavalinConfig config, Site site) {
        config.routes.get(ATOM, ctx -> send(ctx, "alerts.atom", AtomFeed.CONTENT_TYPE));
        config.routes.get(CAP, ctx -> {
            String name = ctx.pathParam("name");
            if (!CAP_NAME.matcher(name).matches()) {
                throw new ApiError(404, "no such alert message");
            }
            send(ctx, "cap/" + name, CAP_CONTENT_TYPE);
        });
    }

    private void send(Context ctx, String file, String contentType) throws IOException {
        if (dir == null) {
            throw new ApiError(404, "this server does not publish the alert feeds");
        }
        byte[] body;
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            body = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new ApiError(404, file.startsWith("cap/") ? "no such alert message"
                    : "the alert feed is not written yet: the notifier writes it when it starts");
        }
        // The feed changes with every alert, and a message the public may no longer see is deleted: readers ask again.
        ctx.header("Cache-Control", "no-cache").contentType(contentType).result(body);
    }
}
