package cloud.hop3.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /** The page asks for every module up front, so the browser does not fetch them one level of imports at a time. */
    @Test
    void thePagePreloadsEveryModuleItsScriptImports() throws IOException {
        String index = read("/index.html");
        Set<String> preloaded = new HashSet<>();
        Matcher links = Pattern.compile("<link rel=\"modulepreload\" href=\"js/([a-z]+\\.js)\">").matcher(index);
        while (links.find()) {
            preloaded.add(links.group(1));
        }
        Deque<String> todo = new ArrayDeque<>(List.of("main.js"));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String module = todo.pop();
            if (!seen.add(module)) {
                continue;
            }
            Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(read("/js/" + module));
            while (imports.find()) {
                assertTrue(preloaded.contains(imports.group(1)), module + " imports " + imports.group(1)
                        + ", which index.html does not preload");
                todo.push(imports.group(1));
            }
        }
        assertEquals(seen.size() - 1, preloaded.size(), "index.html preloads " + preloaded + ", the page imports " + seen);
    }

    private static String read(String file) throws IOException {
        try (InputStream in = DashboardServlet.class.getResourceAsStream(DashboardServlet.ROOT + file)) {
            assertNotNull(in, file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
