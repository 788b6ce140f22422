package cloud.hop3.proxy.nginx;


import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.plugin.support.accesslog.LoggedRequest;
import cloud.hop3.plugin.support.accesslog.RequestLog;
import cloud.hop3.plugin.support.server.ConfiguredServerProxy;

/**
 * The platform's routes served by the system's nginx. Each apply writes the whole table as one
 * {@code nginx.conf} in the plugin's directory, has nginx check it, and reloads nginx gracefully;
 * a table nginx refuses leaves the previous one serving. nginx is started on the first apply
 * (an installed but unused proxy binds no port), restarted when it dies, and stopped when this
 * component stops or core switches to another proxy. nginx binds its ports with {@code reuseport},
 * so the proxy taking over (or handing over) can listen on them at the same time.
 * <p>
 * nginx also logs every request to {@code logs/requests.log} (host, status, {@code $request_time}),
 * which the plugin reads and truncates, to count the apps' requests in the platform's metrics
 * when the metrics service is there.
 */
@Component(service = Proxy.class, immediate = true, property = Proxy.NAME_PROPERTY + "=" + NginxProxy.NAME,
        configurationPid = NginxProxy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NginxProxy.Config.class)
public class NginxProxy extends ConfiguredServerProxy<NginxServer> {

    static final String NAME = "nginx";
    static final String PID = "cloud.hop3.proxy.nginx";

    @ObjectClassDefinition(id = PID, name = "Hop3 nginx proxy",
            description = "Serves the apps' routes with the system's nginx, which this plugin configures, starts and reloads.")
    public @interface Config {

        @AttributeDefinition(name = "Directory", required = false,
                description = "Absolute path of the directory for nginx.conf, the pid file, the logs and the temporary"
                        + " files. Empty means the platform's state directory for this proxy"
                        + " (proxy/nginx under the platform's home).")
        String directory() default "";

        @AttributeDefinition(name = "nginx binary",
                description = "The nginx command: a name looked up on the PATH, or an absolute path.")
        String binary() default "nginx";

        @AttributeDefinition(name = "HTTP port", required = false,
                description = "TCP port, from 1 to 65535, on which nginx accepts HTTP requests. Empty means the"
                        + " platform's HTTP port (httpPort in cloud.hop3.core, 8080 by default).")
        String httpPort() default "";

        @AttributeDefinition(name = "HTTPS port", required = false,
                description = "TCP port, from 1 to 65535, on which nginx accepts HTTPS requests for apps with a"
                        + " certificate. Empty means the platform's HTTPS port (httpsPort in cloud.hop3.core, 8443 by default).")
        String httpsPort() default "";

        @AttributeDefinition(name = "Bind addresses", required = false,
                description = "IP addresses on which nginx listens, separated by commas: 0.0.0.0 means every IPv4"
                        + " address of the machine, :: every IPv6 address and, on a dual-stack system, every IPv4"
                        + " address too, 127.0.0.1 only this machine. Empty means the platform's (bind_addresses"
                        + " in cloud.hop3.core, HOP3_BIND_ADDRESSES, else 0.0.0.0).")
        String bindAddress() default "";

        @AttributeDefinition(name = "Worker processes",
                description = "Number of nginx worker processes, or auto for one per CPU core.")
        String workerProcesses() default "auto";

        @AttributeDefinition(name = "Upstream connect timeout", min = "1",
                description = "Longest wait, in milliseconds, for a connection to an app process; after it nginx"
                        + " tries the app's next process, or answers 502 when none is left.")
        int connectTimeoutMillis() default 5000;

        @AttributeDefinition(name = "Idle timeout", min = "1",
                description = "Longest silence, in seconds, on a client connection or while waiting for an app's"
                        + " response; an app that sends nothing for that long gets its request answered with 504.")
        int idleTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Maximum request body size", min = "0",
                description = "Largest request body, in megabytes, that nginx forwards; a larger one is answered"
                        + " with 413. 0 means no limit.")
        int maxBodyMegabytes() default 100;

        @AttributeDefinition(name = "Drain timeout", min = "0",
                description = "Longest time, in seconds, that nginx's old worker processes may take after a reload"
                        + " or at stop to finish the requests in flight before their connections are closed.")
        int drainTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Access log",
                description = "Whether nginx logs every request to logs/access.log in its directory, in its combined format."
                        + " The platform's own request log (logs/requests.log), which the request metrics are read"
                        + " from, is kept either way.")
        boolean accessLog() default true;
    }

    @Activate
    public NginxProxy(@Reference Platform platform, Config config) {
        this(NginxSettings.of(config, platform, System.getenv("PATH")));
    }

    /** nginx drains by worker generation, and quits gracefully: it stops listening and finishes the requests in flight. */
    NginxProxy(NginxSettings settings) {
        super(NAME, settings.httpPort(), settings.httpsPort(),
                new RequestLog(NAME, settings.requestLog(), false, line -> LoggedRequest.ofFields(line, false)),
                new NginxConfigWriter(settings, "root".equals(System.getProperty("user.name")))::write,
                new NginxServer(settings));
    }
}
