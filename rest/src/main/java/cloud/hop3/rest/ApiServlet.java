package cloud.hop3.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.deploy.DeployLogs;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.event.EventLog;
import cloud.hop3.api.metrics.MetricsService;
import cloud.hop3.api.plugin.PluginRegistry;
import cloud.hop3.api.tls.CertificateService;

/**
 * The REST API's one servlet, at {@code /api/v1/*} on the HTTP Whiteboard, and at
 * {@code /metrics} (Prometheus' text, for a scraper with a viewer's token) with the same
 * authentication and the same count of failed logins per address; the sessions of password
 * logins ({@link Sessions}) live as long as this component: it reads the request
 * (refusing a body over {@link Api#MAX_BODY} bytes before reading it), hands it to {@link Api},
 * and writes the answer. The services the shell commands call are its references; those that may
 * be missing (add-ons, backups, plugins, certificates) are asked for at each call.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
        "osgi.http.whiteboard.servlet.pattern=" + ApiServlet.METRICS,
        "osgi.http.whiteboard.servlet.name=hop3-api"})
@Designate(ocd = ApiServlet.Config.class)
public class ApiServlet extends HttpServlet {

    static final String PID = "cloud.hop3.rest";
    static final String METRICS = "/metrics";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    @ObjectClassDefinition(name = "Hop3 REST API", description = "The REST API under /api/v1.")
    public @interface Config {
        @AttributeDefinition(description = "How many failed logins (a token, a session or a password refused) one client address may make in a"
                + " minute; beyond, every login from it is refused with 429 until a minute after its oldest failure.")
        int login_failures_per_minute() default 10;

        @AttributeDefinition(description = "The JAAS login realm that checks the passwords of POST /api/v1/session: Karaf's"
                + " realm that the shell uses (karaf), which holds the directory (LDAP) login while cloud.hop3.ldap names a"
                + " directory, and the users of users.properties that have a password.")
        String login_realm() default "karaf";

        @AttributeDefinition(description = "How many minutes a session opened with a password lasts when it is not used.")
        int session_idle_minutes() default 720;

        @AttributeDefinition(description = "How many hours a session opened with a password lasts at the most, however"
                + " much it is used; its user then logs in again (a directory group's change applies from there).")
        int session_max_hours() default 24;
    }

    @Reference
    private transient AccessService access;
    @Reference
    private transient AuditService audit;
    @Reference
    private transient AppService apps;
    @Reference
    private transient DeployService deploys;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient CertificateService certificates;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient AddonService addons;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient BackupService backups;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient PluginRegistry plugins;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient MetricsService metrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient EventLog events;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient DeployLogs deployLogs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient cloud.hop3.api.deploy.ReleaseSlugs slugs;

    private transient Api api;
    /** {@value #METRICS}: one route, and the API's authentication and login throttle. */
    private transient Api scrape;

    @Activate
    void activate(Config config) {
        Services services = new Services(() -> access, () -> audit, () -> apps, () -> deploys, () -> certificates,
                () -> addons, () -> backups, () -> plugins, () -> events, () -> deployLogs, () -> metrics,
                () -> slugs);
        LoginThrottle throttle = new LoginThrottle(Math.max(1, config.login_failures_per_minute()), Duration.ofMinutes(1),
                Clock.systemUTC());
        Sessions sessions = new Sessions(Duration.ofMinutes(Math.max(1, config.session_idle_minutes())),
                Duration.ofHours(Math.max(1, config.session_max_hours())), Clock.systemUTC());
        Logins logins = new Logins(services, throttle, sessions, new JaasLogin(config.login_realm(), null));
        api = new Api(services, logins);
        scrape = new Api(services, logins, List.of(new MetricsRoutes(services).prometheus()));
        LOG.info("REST API ready at /api/v1 ({} routes)", api.router().routes().size());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiResponse response;
        long length = req.getContentLengthLong();
        if (METRICS.equals(req.getServletPath())) {
            response = scrape.handle(new ApiRequest(req.getMethod(), METRICS, req.getQueryString(), headers(req),
                    new byte[0], clientAddress(req), secure(req)));
        } else if (length > Api.MAX_BODY) {
            response = Api.problem(Problem.badRequest("body-too-large", "The body is larger than " + Api.MAX_BODY
                    + " bytes; nothing was changed."));
            resp.setHeader("Connection", "close");
        } else {
            byte[] body = read(req.getInputStream());
            String path = req.getPathInfo();
            String raw = req.getRequestURI();
            // the path as sent, still encoded, below /api/v1
            int at = raw.indexOf("/api/v1");
            String below = at >= 0 ? raw.substring(at + "/api/v1".length()) : (path == null ? "/" : path);
            ApiRequest request = new ApiRequest(req.getMethod(), below.isEmpty() ? "/" : below, req.getQueryString(),
                    headers(req), body, clientAddress(req), secure(req));
            response = body.length > Api.MAX_BODY ? Api.problem(Problem.badRequest("body-too-large", "The body is larger than "
                    + Api.MAX_BODY + " bytes; nothing was changed.")) : api.handle(request);
        }
        resp.setStatus(response.status());
        response.headers().forEach(resp::setHeader);
        if (response.bytes() != null) {
            resp.setContentLength(response.bytes().length);
        }
        OutputStream out = resp.getOutputStream();
        try {
            response.writeTo(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (response.streamed()) {
                LOG.debug("API: a stream to {} ended: {}", req.getRemoteAddr(), e.toString());
            } else {
                throw e;
            }
        }
    }

    /** At most one byte more than the API takes, so that a larger body without a length is refused too. */
    private static byte[] read(InputStream in) throws IOException {
        return in.readNBytes(Api.MAX_BODY + 1);
    }

    /**
     * The client's address: the peer's, or, when the peer is this machine (the platform's proxy),
     * the last address of its {@code X-Forwarded-For}.
     */
    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, req.getHeader(name));
        }
        return headers;
    }

    static String clientAddress(HttpServletRequest req) {
        String peer = req.getRemoteAddr();
        String forwarded = req.getHeader("X-Forwarded-For");
        if (forwarded != null && loopback(peer)) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].strip();
            if (last.matches("[0-9A-Fa-f.:]{2,45}")) {
                return last;
            }
        }
        return peer;
    }

    /**
     * Whether the client sent the request over HTTPS: to this servlet, or to the platform's proxy,
     * which says so in {@code X-Forwarded-Proto} (believed only from this machine).
     */
    static boolean secure(HttpServletRequest req) {
        String proto = req.getHeader("X-Forwarded-Proto");
        return req.isSecure() || (proto != null && loopback(req.getRemoteAddr()) && proto.strip().equalsIgnoreCase("https"));
    }

    private static boolean loopback(String address) {
        try {
            return address != null && address.matches("[0-9A-Fa-f.:]+") && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
