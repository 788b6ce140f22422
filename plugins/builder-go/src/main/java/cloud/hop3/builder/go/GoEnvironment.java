package cloud.hop3.builder.go;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environment that the go command runs with. It is built from scratch, so that a build
 * depends on the app and the builder's configuration, not on the platform's own environment or
 * the go command's user configuration file:
 * <ul>
 * <li>from the platform, only {@link #FROM_PLATFORM} (locale, home, temporary directory, proxies,
 * certificate bundles) and the search path;</li>
 * <li>from the app's config vars, only {@link #FROM_APP} (module proxy and checksum settings,
 * build flags, cgo);</li>
 * <li>the build cache ({@code GOCACHE}), module cache ({@code GOMODCACHE}) and {@code GOPATH} are
 * the app's, in its cache directory; {@code GOENV=off}; {@code GOTOOLCHAIN=local} (a newer go
 * would otherwise download the toolchain that go.mod asks for);</li>
 * <li>{@code GOPROXY} is the app's, else the configured one ({@code off} by default: only the
 * standard library, vendored modules and modules already in the app's module cache);</li>
 * <li>{@code GOFLAGS} is the app's, else {@code -mod=mod} (go may complete go.mod and go.sum)
 * unless the app vendors its modules, where go's default, {@code -mod=vendor}, applies.</li>
 * </ul>
 */
final class GoEnvironment {

    static final List<String> FROM_PLATFORM = List.of("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR");
    static final List<String> FROM_APP = List.of("GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY",
            "GOINSECURE", "GOFLAGS", "CGO_ENABLED");

    /** Where in the app's cache directory go keeps what it compiled. */
    static final String BUILD_CACHE = "build";
    /** Where in the app's cache directory go keeps the modules it downloaded. */
    static final String MODULE_CACHE = "mod";
    static final String GOPATH = "gopath";

    private GoEnvironment() {
    }

    /**
     * @param platform     the platform's environment ({@code System.getenv()})
     * @param searchPath   the configured search path; blank for the platform's PATH
     * @param go           the configured go command; the directory of an absolute one goes first on
     *                     the search path
     * @param configVars   the app's config vars
     * @param defaultProxy the configured GOPROXY, used when the app sets none
     * @param cache        the app's cache directory
     * @param vendored     whether the app vendors its modules
     * @return a mutable, sorted map
     */
    static Map<String, String> of(Map<String, String> platform, String searchPath, String go,
                                  Map<String, String> configVars, String defaultProxy, Path cache, boolean vendored) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.put("PATH", BuildEnvironment.searchPath(platform, searchPath, go));
        if (!defaultProxy.isBlank()) {
            env.put("GOPROXY", defaultProxy.strip());
        }
        if (!vendored) {
            env.put("GOFLAGS", "-mod=mod");
        }
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        env.put("GOENV", "off");
        env.put("GOTOOLCHAIN", "local");
        env.put("GO111MODULE", "on");
        env.put("GOCACHE", cache.resolve(BUILD_CACHE).toString());
        env.put("GOMODCACHE", cache.resolve(MODULE_CACHE).toString());
        env.put("GOPATH", cache.resolve(GOPATH).toString());
        return env;
    }
}
