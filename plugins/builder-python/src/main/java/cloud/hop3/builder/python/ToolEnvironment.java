package cloud.hop3.builder.python;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environment that the build's tools run with. It is built from scratch, so that a build
 * depends on the app and the builder's configuration, not on whatever the platform's own
 * environment or pip's configuration files hold:
 * <ul>
 * <li>from the platform, only {@link #FROM_PLATFORM} (locale, home, temporary directory, proxies,
 * certificate bundles) and the search path;</li>
 * <li>from the app's config vars, only {@link #FROM_APP} (package indexes and network settings);</li>
 * <li>pip's configuration files are not read ({@code PIP_CONFIG_FILE=/dev/null}), its cache is
 * the app's, and it never asks questions.</li>
 * </ul>
 */
final class ToolEnvironment {

    static final List<String> FROM_PLATFORM = List.of("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "PIP_CERT");
    static final List<String> FROM_APP = List.of("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST",
            "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES");

    private ToolEnvironment() {
    }

    /**
     * @param platform     the platform's environment ({@code System.getenv()})
     * @param searchPath   the configured search path; blank for the platform's PATH
     * @param configVars   the app's config vars
     * @param defaultIndex the configured package index, used when the app sets none; may be blank
     * @param cache        the app's cache directory
     * @return a mutable, sorted map
     */
    static Map<String, String> of(Map<String, String> platform, String searchPath, Map<String, String> configVars,
                                  String defaultIndex, Path cache) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.put("PATH", BuildEnvironment.searchPath(platform, searchPath));
        if (!defaultIndex.isBlank()) {
            env.put("PIP_INDEX_URL", defaultIndex.strip());
        }
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("PIP_CACHE_DIR", cache.resolve("pip").toString());
        env.put("PIP_NO_INPUT", "1");
        env.put("PIP_PROGRESS_BAR", "off");
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }
}
