package cloud.hop3.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * The dashboard's files, at {@code /dashboard/} on the HTTP Whiteboard beside the REST API: an
 * HTML page, its CSS and its JavaScript modules, read from this bundle. The pages talk to the
 * platform through the REST API only; this servlet holds no state and checks no token, since
 * nothing it serves is secret. Every answer forbids framing and scripts from elsewhere, and asks
 * the browser to check again before using a copy, so that an update of the bundle shows at once.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/dashboard/*",
        "osgi.http.whiteboard.servlet.name=hop3-dashboard"})
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String ROOT = "/cloud/hop3/dashboard/web";
    static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");
    /** What a page may load and call: only this server; no inline script, no framing. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        String file = file(path);
        if (file == null) {
            resp.sendError(404);
            return;
        }
        try (InputStream in = DashboardServlet.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            byte[] bytes = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            resp.setContentLength(bytes.length);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("Content-Security-Policy", POLICY);
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Referrer-Policy", "no-referrer");
            resp.setHeader("X-Frame-Options", "DENY");
            if (!req.getMethod().equals("HEAD")) {
                resp.getOutputStream().write(bytes);
            }
        }
    }

    /**
     * The file of the bundle that a path names ({@code /} is {@code /index.html}), or null when it
     * names none it may serve: only letters, digits, {@code -}, {@code _} and one dot per segment,
     * with a known extension, so that no path leaves the folder.
     */
    static String file(String path) {
        if (path.equals("/")) {
            return "/index.html";
        }
        if (!path.matches("(/[A-Za-z0-9_-]+)*/[A-Za-z0-9_-]+\\.[a-z]+")) {
            return null;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return TYPES.containsKey(ext) ? path : null;
    }
}
