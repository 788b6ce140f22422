package cloud.hop3.plugin.support.build;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pieces every builder's tool environment is made of. A builder builds the environment of
 * its tools from scratch, so that a build depends on the app and the builder's configuration, not
 * on the platform's own environment: a few named variables of the platform (locale, home,
 * proxies, certificate bundles), a search path, a few named config vars of the app, and the
 * builder's own settings. This class does the first three the same way for every builder, and
 * finds the programs on that search path.
 */
public final class BuildEnvironment {

    /** The search path when neither the configuration nor the platform gives one. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private BuildEnvironment() {
    }

    /**
     * A new environment with the variables {@code names} of the platform that are set.
     *
     * @param platform the platform's environment
     * @return a mutable map, sorted by name
     */
    public static Map<String, String> fromPlatform(Map<String, String> platform, Collection<String> names) {
        Map<String, String> env = new TreeMap<>();
        for (String name : names) {
            String value = platform.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /** Puts into {@code env} the config vars {@code names} that the app sets to something not blank. */
    public static void putFromApp(Map<String, String> env, Map<String, String> configVars, Collection<String> names) {
        for (String name : names) {
            String value = configVars.get(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
    }

    /**
     * The search path of a build: the configured one, else the platform's {@code PATH}, else
     * {@value #DEFAULT_PATH}; the directory of each program configured as an absolute path goes
     * first, so that the tools next to it (node next to npm) are the ones used.
     */
    public static String searchPath(Map<String, String> platform, String configured, String... programs) {
        String path = configured.isBlank() ? platform.getOrDefault("PATH", "") : configured.strip();
        if (path.isBlank()) {
            path = DEFAULT_PATH;
        }
        for (String program : programs) {
            Path absolute = Path.of(program);
            if (absolute.isAbsolute() && absolute.getParent() != null
                    && !path.startsWith(absolute.getParent() + File.pathSeparator)) {
                path = absolute.getParent() + File.pathSeparator + path;
            }
        }
        return path;
    }

    /** A program: {@code name} as configured when absolute, else the first executable file of that name on {@code path}. */
    public static Optional<Path> locate(String name, String path) {
        try {
            Path configured = Path.of(name);
            if (configured.isAbsolute()) {
                return executable(configured) ? Optional.of(configured) : Optional.empty();
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                if (!dir.isBlank() && executable(Path.of(dir).resolve(name))) {
                    return Optional.of(Path.of(dir).resolve(name));
                }
            } catch (InvalidPathException e) {
                // not a directory name: skipped, as a shell would
            }
        }
        return Optional.empty();
    }

    /**
     * A URL, or a list of URLs separated by {@code ,} or {@code |} (as in GOPROXY), with every user
     * name and password replaced by {@code ****}, for the build log.
     */
    public static String redacted(String urls) {
        return urls.replaceAll("//[^/@\\s,|]*@", "//****@");
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
