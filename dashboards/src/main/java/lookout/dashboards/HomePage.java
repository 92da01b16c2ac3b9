package lookout.dashboards;

import java.util.List;
import java.util.Map;

import io.javalin.config.JavalinConfig;

/**
 * The home page: every area with its status in words, readable without JavaScript and by a screen reader.
 */
final class HomePage implements Feature {
    @Override
    public void routes(JavalinConfig config, Site site) {
        config.routes.get("/", ctx -> site.render(ctx, page(site.read(Queries::areas))));
    }

    private static Page page(List<Map<String, Object>> areas) {
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> a : areas) {
            Object severity = a.get("severity");
            rows.append("<tr><td><a href=\"/areas/").append(Html.text(a.get("area_id"))).append("\">")
                    .append(Html.text(a.get("name"))).append("</a></td><td>").append(Html.text(a.get("status")))
                    .append(severity == null ? "" : " (" + Html.text(severity) + ")").append("</td></tr>\n");
        }
        return new Page("Neighbourhoods", Page.Section.MAP).html("""
                <table class="areas"><thead><tr><th scope="col">Neighbourhood</th><th scope="col">Status</th></tr></thead>
                <tbody>
                """ + rows + "</tbody></table>");
    }
}
