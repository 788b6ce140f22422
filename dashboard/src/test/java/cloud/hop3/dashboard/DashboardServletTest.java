package cloud.hop3.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DashboardServletTest {

    @Test
    void pathsNameFilesOfTheFolderOnly() {
        assertEquals("/index.html", DashboardServlet.file("/"));
        assertEquals("/js/api.js", DashboardServlet.file("/js/api.js"));
        assertEquals("/app.css", DashboardServlet.file("/app.css"));
        assertNull(DashboardServlet.file("/../rest/openapi.json"));
        assertNull(DashboardServlet.file("/js/../../x.js"));
        assertNull(DashboardServlet.file("/%2e%2e/x.js"));
        assertNull(DashboardServlet.file("/Servlet.class"));
        assertNull(DashboardServlet.file("/js/"));
        assertNull(DashboardServlet.file("//etc/passwd.js"));
    }

    /** Every module that a page imports is in the bundle, so that no page breaks on a missing file. */
    @Test
    void everyFileThePageAndItsModulesLoadIsThere() throws IOException {
        String index = read("/index.html");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(index);
        int found = 0;
        while (m.find()) {
            assertNotNull(DashboardServlet.class.getResource(DashboardServlet.ROOT + "/" + m.group(1)), m.group(1));
            found++;
        }
        assertEquals(true, found >= 2, "the page loads its CSS and its script");
        for (String module : new String[] {"main", "api", "dom", "views", "graph", "stream"}) {
            String js = read("/js/" + module + ".js");
            Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(js);
            while (imports.find()) {
                assertNotNull(DashboardServlet.class.getResource(DashboardServlet.ROOT + "/js/" + imports.group(1)),
                        module + ".js imports " + imports.group(1));
            }
        }
    }

    private static String read(String file) throws IOException {
        try (InputStream in = DashboardServlet.class.getResourceAsStream(DashboardServlet.ROOT + file)) {
            assertNotNull(in, file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
