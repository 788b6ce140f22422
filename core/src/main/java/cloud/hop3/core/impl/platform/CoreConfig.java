package cloud.hop3.core.impl.platform;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of core (PID {@value #PID}). An empty value falls back to the environment
 * variable named in its description, then to the built-in default.
 */
@ObjectClassDefinition(name = "Hop3 core", description = "Where Hop3 keeps its state, the domain apps answer on, and which plugin is used where one must be chosen.")
public @interface CoreConfig {

    String PID = "cloud.hop3.core";

    @AttributeDefinition(name = "State directory", description = "Directory that holds apps, releases, backups and keys. Empty means the HOP3_HOME environment variable, else data/hop3 inside the distribution.")
    String home() default "";

    @AttributeDefinition(name = "Domain", description = "Apps answer at <app>.<domain>. Empty means the HOP3_DOMAIN environment variable, else localhost.")
    String domain() default "";

    @AttributeDefinition(name = "Git SSH port", description = "Port of the git server that apps are pushed to. 0 means the HOP3_GIT_SSH_PORT environment variable, else 2222.")
    int git_ssh_port() default 0;

    @AttributeDefinition(name = "Git SSH address", description = "Address the git server listens on. Empty means all addresses (0.0.0.0).")
    String git_ssh_host() default "";

    @AttributeDefinition(name = "HTTP port", description = "Port the proxy listens on for HTTP unless the proxy's own configuration sets one. 0 means the HOP3_HTTP_PORT environment variable, else 8080.")
    int http_port() default 0;

    @AttributeDefinition(name = "HTTPS port", description = "Port the proxy listens on for HTTPS unless the proxy's own configuration sets one. 0 means the HOP3_HTTPS_PORT environment variable, else 8443.")
    int https_port() default 0;

    @AttributeDefinition(name = "Bind addresses", description = "IP addresses the proxy listens on unless the proxy's own configuration sets them, separated by commas: 0.0.0.0 is every IPv4 address, :: every IPv6 address and, on a dual-stack system, every IPv4 address too, 127.0.0.1 this machine only. Empty means the HOP3_BIND_ADDRESSES environment variable, else 0.0.0.0.")
    String bind_addresses() default "";

    @AttributeDefinition(name = "Socket holder", description = "Path of the UNIX socket on which a process that outlives the platform (bin/hop3's hop3-holder) hands out the proxy's listening sockets, so that connections wait while the platform restarts instead of being refused. Empty means the HOP3_SOCKET_HOLDER environment variable, which bin/hop3 sets, else none: the proxy binds its own sockets.")
    String socket_holder() default "";

    @AttributeDefinition(name = "Platform host name", description = "Host name under which the proxy serves the platform's REST API, with a certificate of its own. Empty means hop3.<domain>; a single '-' serves the API on loopback only.")
    String platform_host() default "";

    @AttributeDefinition(name = "API port", description = "Loopback port of the platform's HTTP service (REST API), which the proxy forwards the platform host name to. 0 means the HOP3_API_PORT environment variable, else 8181.")
    int api_port() default 0;

    @AttributeDefinition(name = "Build time limit", description = "Minutes a build may take before it is stopped and the deploy fails.")
    int build_timeout_minutes() default 15;

    @AttributeDefinition(name = "Proxy", description = "Name of the proxy plugin that serves routes (the hop3.proxy service property of the plugin). Empty means the registered proxy with the highest service ranking, then the name that sorts first.")
    String proxy() default "";

    @AttributeDefinition(name = "Process driver", description = "Name of the process driver that runs apps (the hop3.driver service property of the plugin). Empty means the one with the highest service ranking, then the name that sorts first.")
    String driver() default "";

    @AttributeDefinition(name = "Public URL", description = "The platform's address as a cluster that runs apps sees it, such as https://hop3.example.com or http://10.0.0.5:8181: a driver that puts whole releases into service (Kubernetes) has its pods fetch each release's slug from <public URL>/api/v1/apps/<app>/releases/<n>/slug. Empty means http://<domain>:<API port>, or http://127.0.0.1:<API port> when the domain is localhost.")
    String publicUrl() default "";

    @AttributeDefinition(name = "Release deadline", description = "Seconds a driver that puts whole releases into service (Kubernetes) may take to make a release serve before it gives up and keeps the previous one; an app's health check timeout, when longer, is used instead.")
    int release_deadline_seconds() default 600;

    @AttributeDefinition(name = "Certificate issuer", description = "Name of the certificate issuer for app domains (the hop3.issuer service property of the plugin). Empty means the one with the highest service ranking, then the name that sorts first.")
    String issuer() default "";

    @AttributeDefinition(name = "Backup store", description = "Name of the default backup store (the hop3.backupstore service property of the plugin). Empty means the one with the highest service ranking, then the name that sorts first.")
    String backup_store() default "";

    @AttributeDefinition(name = "Memory per app process", description = "Default memory limit of each app process, such as 512M or 2G, where the app sets none in hop3.toml [run] memory or with app:limits. A process above it is killed and restarted. Empty means no limit.")
    String app_memory() default "";

    @AttributeDefinition(name = "CPU per app process", description = "Default CPU limit of each app process as a number of processors, such as 0.5 or 2. Empty means no limit.")
    String app_cpu() default "";

    @AttributeDefinition(name = "Processes per app process", description = "Default limit of the processes and threads each app process and its children may have at once. Empty means no limit.")
    String app_processes() default "";

    @AttributeDefinition(name = "Open files per app process", description = "Default limit of the files and sockets each app process may hold open at once (RLIMIT_NOFILE). Empty means the platform's own limit.")
    String app_files() default "";

    @AttributeDefinition(name = "App ports on loopback only", description = "Whether the platform keeps nftables rules (table inet hop3) that drop connections to the ports of app processes unless they come over the loopback interface, so that apps are reached only through the proxy. Needs the nft command and the right to use it.")
    boolean app_ports_loopback_only() default true;

    @AttributeDefinition(name = "Audit trail retention", description = "Days the audit trail keeps a record; older records are removed whole, from the oldest, once a day, leaving a checkpoint so that what remains still verifies. 0 keeps every record.")
    int audit_keepDays() default 365;
}
