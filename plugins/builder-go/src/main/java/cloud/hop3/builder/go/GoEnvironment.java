package cloud.hop3.builder.go;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

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
        Map<String, String> env = new TreeMap<>();
        for (String name : FROM_PLATFORM) {
            String value = platform.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        String path = searchPath.isBlank() ? platform.getOrDefault("PATH", "") : searchPath.strip();
        if (path.isBlank()) {
            path = DEFAULT_PATH;
        }
        Path goPath = Path.of(go);
        if (goPath.isAbsolute() && goPath.getParent() != null) {
            path = goPath.getParent() + ":" + path;
        }
        env.put("PATH", path);
        if (!defaultProxy.isBlank()) {
            env.put("GOPROXY", defaultProxy.strip());
        }
        if (!vendored) {
            env.put("GOFLAGS", "-mod=mod");
        }
        for (String name : FROM_APP) {
            String value = configVars.get(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
        env.put("GOENV", "off");
        env.put("GOTOOLCHAIN", "local");
        env.put("GO111MODULE", "on");
        env.put("GOCACHE", cache.resolve(BUILD_CACHE).toString());
        env.put("GOMODCACHE", cache.resolve(MODULE_CACHE).toString());
        env.put("GOPATH", cache.resolve(GOPATH).toString());
        return env;
    }

    /** The go program: {@code go} as configured when absolute, else the first one on {@code path}. */
    static Optional<Path> locate(String go, String path) {
        Path configured = Path.of(go);
        if (configured.isAbsolute()) {
            return Files.isExecutable(configured) && !Files.isDirectory(configured)
                    ? Optional.of(configured) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(go);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A URL with any user name and password replaced by {@code ****}, for the build log. */
    static String redacted(String url) {
        return url.replaceAll("//[^/@\\s,|]*@", "//****@");
    }
}
