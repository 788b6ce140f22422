package cloud.hop3.proxy.caddy;

/** Names of the files the plugin keeps in its directory. */
final class CaddyFiles {

    /** The configuration that serves (the last one Caddy accepted). */
    static final String CONFIG = "caddy.json";
    /** A configuration being checked. */
    static final String CANDIDATE = "caddy.next.json";
    /** The last configuration Caddy refused, kept for inspection. */
    static final String REJECTED = "caddy.rejected.json";
    /** Caddy's admin API (a unix socket, reachable only through the directory's permissions). */
    static final String ADMIN_SOCKET = "admin.sock";
    static final String PID = "caddy.pid";
    /** Caddy's own log, rolled by Caddy. */
    static final String LOG = "caddy.log";
    /**
     * The log of every request (its host, status and duration only), which the plugin reads for
     * the apps' metrics and truncates.
     */
    static final String REQUESTS = "requests.log";
    /** The name of the logger of that log, under Caddy's {@code http.log.access}. */
    static final String REQUEST_LOGGER = "hop3_requests";
    /** What the caddy process prints before its configuration takes over its log. */
    static final String OUTPUT = "caddy.out";

    private CaddyFiles() {
    }
}
