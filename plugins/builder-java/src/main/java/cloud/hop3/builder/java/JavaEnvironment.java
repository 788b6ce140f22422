package cloud.hop3.builder.java;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environment that Maven or Gradle runs with. It is built from scratch, so that a build
 * depends on the app and the builder's configuration, not on the platform's own environment:
 * <ul>
 * <li>from the platform, only {@link #FROM_PLATFORM} (locale, home, temporary directory, proxies
 * for the wrappers' downloads);</li>
 * <li>from the app's config vars, only {@link #FROM_APP} (the JVM options of the build tool); without
 * {@code MAVEN_OPTS} among them, the builder's configured one;</li>
 * <li>{@code JAVA_HOME} is the chosen JDK, whose {@code bin} goes first on the search path;</li>
 * <li>the wrappers and Gradle keep what they download in the app's cache: {@code MAVEN_USER_HOME}
 * is {@value #MAVEN_CACHE}, {@code GRADLE_USER_HOME} is {@value #GRADLE_CACHE} (Maven's own local
 * repository is given on its command line).</li>
 * </ul>
 */
final class JavaEnvironment {

    static final List<String> FROM_PLATFORM = List.of("HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy");
    static final List<String> FROM_APP = List.of("MAVEN_OPTS", "GRADLE_OPTS");
    /** In the app's cache: the Maven wrapper's distributions, and the local repository under it. */
    static final String MAVEN_CACHE = "maven";
    /** In the app's cache: Gradle's user home (distributions of the wrapper, dependency caches). */
    static final String GRADLE_CACHE = "gradle";

    private JavaEnvironment() {
    }

    /**
     * @param platform   the platform's environment ({@code System.getenv()})
     * @param searchPath the configured search path; blank for the platform's PATH
     * @param java       the JDK
     * @param mavenOpts  the configured {@code MAVEN_OPTS}, for apps that set none; may be blank
     * @param configVars the app's config vars
     * @param cache      the app's cache directory, absolute
     * @return a mutable, sorted map
     */
    static Map<String, String> of(Map<String, String> platform, String searchPath, JavaHome java, String mavenOpts,
                                  Map<String, String> configVars, Path cache) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.put("PATH", java.home().resolve("bin") + ":" + BuildEnvironment.searchPath(platform, searchPath));
        env.put("JAVA_HOME", java.home().toString());
        env.put("MAVEN_USER_HOME", cache.resolve(MAVEN_CACHE).toString());
        env.put("GRADLE_USER_HOME", cache.resolve(GRADLE_CACHE).toString());
        if (!mavenOpts.isBlank()) {
            env.put("MAVEN_OPTS", mavenOpts.strip());
        }
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        return env;
    }

    /** Maven's local repository in the app's cache. */
    static Path mavenRepository(Path cache) {
        return cache.resolve(MAVEN_CACHE).resolve("repository");
    }

    /** Where Gradle keeps the dependencies it downloads, in the app's cache. */
    static Path gradleRepository(Path cache) {
        return cache.resolve(GRADLE_CACHE).resolve("caches/modules-2/files-2.1");
    }
}
