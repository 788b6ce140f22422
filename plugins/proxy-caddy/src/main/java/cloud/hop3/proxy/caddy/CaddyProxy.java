package cloud.hop3.proxy.caddy;


import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.plugin.support.accesslog.RequestLog;
import cloud.hop3.plugin.support.server.ConfiguredServerProxy;

/**
 * Serves the platform's routes with Caddy (Debian's {@code caddy} package): every route table is
 * written as Caddy's JSON configuration into the plugin's directory, checked with
 * {@code caddy validate}, then loaded into the running caddy through its admin API, where the
 * requests in flight finish on the old configuration. Caddy is started on the first apply only, so an
 * installed but unused Caddy proxy binds no port, and it is stopped on deactivation. Caddy's
 * automatic HTTPS is off: certificates are the routes' own PEM files.
 * <p>
 * Caddy also logs every request to {@code requests.log} (host, status, duration), which the
 * plugin reads and truncates, to count the apps' requests in the platform's metrics when the
 * metrics service is there.
 */
@Component(service = Proxy.class, immediate = true, property = Proxy.NAME_PROPERTY + "=" + CaddyProxy.NAME,
        configurationPid = CaddyProxy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaddyProxy.Config.class)
public class CaddyProxy extends ConfiguredServerProxy<CaddyServer> {

    static final String NAME = "caddy";
    static final String PID = "cloud.hop3.proxy.caddy";

    @ObjectClassDefinition(id = PID, name = "Hop3 Caddy proxy",
            description = "Serves the apps with Caddy, configured and supervised by Hop3.")
    public @interface Config {

        @AttributeDefinition(name = "Caddy command", description = "The caddy program: a name looked up on the"
                + " search path of the Hop3 process, or an absolute path.")
        String binary() default "caddy";

        @AttributeDefinition(name = "Directory", required = false, description = "Directory that holds Caddy's"
                + " configuration, admin socket, pid file, logs and storage. Empty means the platform's state"
                + " directory for this proxy (proxy/caddy under the platform's home).")
        String directory() default "";

        @AttributeDefinition(name = "HTTP port", required = false, description = "TCP port, from 1 to 65535,"
                + " on which Caddy accepts HTTP requests. Empty means the platform's HTTP port (httpPort in"
                + " cloud.hop3.core, 8080 by default).")
        String httpPort() default "";

        @AttributeDefinition(name = "HTTPS port", required = false, description = "TCP port, from 1 to 65535,"
                + " on which Caddy accepts HTTPS requests while an app has a certificate. Empty means the"
                + " platform's HTTPS port (httpsPort in cloud.hop3.core, 8443 by default).")
        String httpsPort() default "";

        @AttributeDefinition(name = "Bind addresses", required = false,
                description = "IP addresses on which Caddy listens, separated by commas: 0.0.0.0 means every IPv4"
                        + " address of the machine, :: every IPv6 address and, on a dual-stack system, every IPv4"
                        + " address too, 127.0.0.1 only this machine. Empty means the platform's (bind_addresses"
                        + " in cloud.hop3.core, HOP3_BIND_ADDRESSES, else 0.0.0.0).")
        String bindAddress() default "";

        @AttributeDefinition(name = "Upstream connect timeout", min = "1", description = "Longest time, in"
                + " milliseconds, that Caddy tries to connect to an app's processes before it answers 502.")
        int connectTimeoutMillis() default 5000;

        @AttributeDefinition(name = "Idle timeout", min = "1", description = "Longest silence, in seconds, on a"
                + " client connection between requests, and longest wait for an app's response headers.")
        int idleTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Maximum request header size", min = "1024", description = "Largest request"
                + " header block, in bytes, that Caddy accepts.")
        int maxHeaderBytes() default 16384;

        @AttributeDefinition(name = "Maximum request body size", min = "0", description = "Largest request body,"
                + " in megabytes (1 MB is 1,048,576 bytes), that Caddy forwards to an app; 0 means no limit.")
        int maxBodyMegabytes() default 100;

        @AttributeDefinition(name = "Drain timeout", min = "0", description = "Longest wait, in seconds, for the"
                + " requests in flight on a replaced configuration, and on stop, before Caddy closes them.")
        int drainTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Start timeout", min = "1", description = "Longest wait, in seconds, for a"
                + " started caddy to answer on its admin socket.")
        int startTimeoutSeconds() default 30;
    }

    @Activate
    public CaddyProxy(@Reference Platform platform, Config config) {
        this(CaddySettings.of(config, platform));
    }

    /** Caddy drains by upstream, and stops gracefully: it closes its listeners and answers the requests in flight. */
    CaddyProxy(CaddySettings settings) {
        super(NAME, settings.httpPort(), settings.httpsPort(),
                new RequestLog(NAME, settings.directory().resolve(CaddyFiles.REQUESTS), false, CaddyRequests::parse),
                new CaddyConfigWriter(settings)::write,
                new CaddyServer(settings));
    }
}
