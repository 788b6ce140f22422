package cloud.hop3.builder.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environment that npm runs with. It is built from scratch, so that a build depends on the
 * app and the builder's configuration, not on the platform's own environment or npm's user and
 * global configuration files (the app's own {@code .npmrc} still counts):
 * <ul>
 * <li>from the platform, only {@link #FROM_PLATFORM} (locale, home, temporary directory, proxies,
 * certificate bundles) and the search path;</li>
 * <li>from the app's config vars, only {@link #FROM_APP} (the registry and network settings);</li>
 * <li>npm's cache is the app's, and npm neither audits, asks for funding nor checks for updates.</li>
 * </ul>
 */
final class NpmEnvironment {

    static final List<String> FROM_PLATFORM = List.of("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS");
    static final List<String> FROM_APP = List.of("NPM_CONFIG_REGISTRY", "NPM_CONFIG_FETCH_RETRIES",
            "NPM_CONFIG_FETCH_TIMEOUT");
    /** npm refuses the same file as user and global configuration; this one does not exist. */
    static final String NO_GLOBAL_CONFIG = "/nonexistent/npmrc";

    private NpmEnvironment() {
    }

    /**
     * @param platform        the platform's environment ({@code System.getenv()})
     * @param searchPath      the configured search path; blank for the platform's PATH
     * @param npm             the configured npm command; the directory of an absolute one goes first
     *                        on the search path, so that the {@code node} next to it is used
     * @param configVars      the app's config vars
     * @param defaultRegistry the configured registry, used when the app sets none; may be blank
     * @param cache           the app's cache directory
     * @return a mutable, sorted map
     */
    static Map<String, String> of(Map<String, String> platform, String searchPath, String npm,
                                  Map<String, String> configVars, String defaultRegistry, Path cache) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.put("PATH", BuildEnvironment.searchPath(platform, searchPath, npm));
        if (!defaultRegistry.isBlank()) {
            env.put("NPM_CONFIG_REGISTRY", defaultRegistry.strip());
        }
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        env.put("NPM_CONFIG_USERCONFIG", "/dev/null");
        env.put("NPM_CONFIG_GLOBALCONFIG", NO_GLOBAL_CONFIG);
        env.put("NPM_CONFIG_CACHE", cache.resolve("npm").toString());
        env.put("NPM_CONFIG_UPDATE_NOTIFIER", "false");
        env.put("NPM_CONFIG_AUDIT", "false");
        env.put("NPM_CONFIG_FUND", "false");
        env.put("NPM_CONFIG_PROGRESS", "false");
        return env;
    }
}
