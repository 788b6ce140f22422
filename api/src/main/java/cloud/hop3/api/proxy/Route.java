package cloud.hop3.api.proxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;

/**
 * How one app is reached.
 *
 * @param app         the app
 * @param hosts       host names the app answers to ({@code <app>.<domain>} first); already valid, so a
 *                    proxy writes them into its configuration as they are
 * @param upstreams   its web processes; requests are spread over them
 * @param statics     URL prefix to directory served as files by the proxy itself
 * @param tls         certificate for the hosts, when the app has one
 * @param httpsRedirect whether plain HTTP requests are redirected to HTTPS; requests under
 *                    {@value cloud.hop3.api.tls.TlsSupport#CHALLENGE_PATH} never are, since ACME
 *                    validates its HTTP-01 challenges over plain HTTP
 */
public record Route(AppName app, List<HostName> hosts, List<Upstream> upstreams, Map<String, Path> statics,
                    Optional<TlsCertificate> tls, boolean httpsRedirect) {

    public Route {
        hosts = List.copyOf(hosts);
        upstreams = List.copyOf(upstreams);
        statics = Map.copyOf(statics);
    }
}
