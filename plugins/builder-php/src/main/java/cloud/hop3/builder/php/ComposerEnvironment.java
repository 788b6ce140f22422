package cloud.hop3.builder.php;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environment that PHP and Composer run with during a build. It is built from scratch, so
 * that a build depends on the app and the builder's configuration, not on the platform's own
 * environment or Composer's configuration in the home directory of the user Hop3 runs as:
 * <ul>
 * <li>from the platform, only {@link #FROM_PLATFORM} (locale, temporary directory, proxies,
 * certificate bundles) and the search path;</li>
 * <li>from the app's config vars, only {@link #FROM_APP} (credentials for private repositories);</li>
 * <li>Composer's home and cache are the app's ({@value #HOME} and {@value #CACHE} in its cache
 * directory), it never asks a question, and it writes its messages unwrapped, so that a failure's
 * reason is one line.</li>
 * </ul>
 */
final class ComposerEnvironment {

    static final List<String> FROM_PLATFORM = List.of("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR");
    static final List<String> FROM_APP = List.of("COMPOSER_AUTH");
    static final String HOME = "composer/home";
    static final String CACHE = "composer/cache";

    private ComposerEnvironment() {
    }

    /**
     * @param platform   the platform's environment ({@code System.getenv()})
     * @param searchPath the configured search path; blank for the platform's PATH
     * @param configVars the app's config vars
     * @param cache      the app's cache directory, absolute
     * @return a mutable, sorted map
     */
    static Map<String, String> of(Map<String, String> platform, String searchPath, Map<String, String> configVars,
                                  Path cache) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.put("PATH", BuildEnvironment.searchPath(platform, searchPath));
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        env.put("HOME", cache.resolve(HOME).toString());
        env.put("COMPOSER_HOME", cache.resolve(HOME).toString());
        env.put("COMPOSER_CACHE_DIR", cache.resolve(CACHE).toString());
        env.put("COMPOSER_NO_INTERACTION", "1");
        env.put("COLUMNS", "1000");
        return env;
    }
}
