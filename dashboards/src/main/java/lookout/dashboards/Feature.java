package lookout.dashboards;

import io.javalin.config.JavalinConfig;

/**
 * One part of the site (the API, a page and its data): it adds its routes to the server's configuration and
 * reaches the snapshot, the caller and the audit log only through {@link Site}. A new page is a new feature
 * listed in {@link DashboardServer}.
 */
interface Feature {
    void routes(JavalinConfig config, Site site);
}
