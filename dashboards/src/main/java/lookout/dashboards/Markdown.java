package lookout.dashboards;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A release's Markdown files as HTML for the open-data page. Raw HTML in the source is escaped and link targets
 * are sanitised, so a file can add no markup or script to the page. The file's own title (its first level-1
 * heading) is dropped, since the page gives each file a section heading of its own, and the remaining headings
 * move down below that section heading.
 */
final class Markdown {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {}

    /** {@code markdown} as HTML whose headings start at level {@code topLevel}. */
    static String toHtml(String markdown, int topLevel) {
        Node document = PARSER.parse(markdown);
        if (document.getFirstChild() instanceof Heading h && h.getLevel() == 1) {
            h.unlink();
        }
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                heading.setLevel(Math.min(6, heading.getLevel() + topLevel - 2));
            }
        });
        return RENDERER.render(document);
    }
}
