package cloud.hop3.builder.ruby;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The environments of a Ruby app: the one Bundler runs with at build time, built from scratch,
 * and what the app's processes get besides their config vars.
 * <p>
 * <b>Where gems go.</b> Bundler installs what the server lacks into {@value #GEMS} of the app's
 * cache directory, its {@code GEM_HOME}, kept between builds; {@code GEM_PATH} is that directory
 * followed by Ruby's own gem directories (the trailing {@code :}), where Debian's gem packages
 * are. Bundler's {@code BUNDLE_PATH} cannot be used for this: it hides the server's gems, and
 * Bundler refuses to combine it with them. Processes get the same {@code GEM_HOME} and
 * {@code GEM_PATH}, and {@code BUNDLE_GEMFILE} pointing at the slug's Gemfile.
 * <p>
 * <b>Build.</b> From the platform only {@link #FROM_PLATFORM} and the search path; from the
 * app's config vars only {@link #FROM_APP} and {@code BUNDLE_BUILD__*} (compiler flags of native
 * extensions). Bundler's user configuration is the app's ({@code BUNDLE_USER_HOME} in the cache),
 * so nothing in the server's home directory changes a build. {@code BUNDLE_WITHOUT} is
 * {@code development:test} and, with a Gemfile.lock, {@code BUNDLE_FROZEN} is {@code true}, unless
 * the app sets them.
 */
final class RubyEnvironment {

    static final List<String> FROM_PLATFORM = List.of("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR");
    static final List<String> FROM_APP = List.of("BUNDLE_WITHOUT", "BUNDLE_WITH", "BUNDLE_FROZEN", "BUNDLE_JOBS",
            "BUNDLE_RETRY", "BUNDLE_FORCE_RUBY_PLATFORM");
    /** Config vars that would move the gems away from where this builder installs them. */
    static final List<String> MANAGED = List.of("BUNDLE_PATH", "BUNDLE_GEMFILE", "BUNDLE_DEPLOYMENT", "GEM_HOME",
            "GEM_PATH");
    static final String BUILD_SETTINGS = "BUNDLE_BUILD__";
    static final String DEFAULT_WITHOUT = "development:test";
    static final String PRODUCTION = "production";

    /** Where in the app's cache directory its gems are installed. */
    static final String GEMS = "gems";
    /** Bundler's user directory (its configuration and caches), in the app's cache directory. */
    static final String BUNDLER_HOME = "bundler";

    private RubyEnvironment() {
    }

    /**
     * The environment of {@code bundle install}.
     *
     * @param platform   the platform's environment ({@code System.getenv()})
     * @param path       the search path
     * @param configVars the app's config vars
     * @param slug       the slug, where the Gemfile is
     * @param cache      the app's cache directory
     * @return a mutable, sorted map
     */
    static Map<String, String> bundler(Map<String, String> platform, String path, Map<String, String> configVars,
                                       Path slug, Path cache) {
        Map<String, String> env = BuildEnvironment.fromPlatform(platform, FROM_PLATFORM);
        env.putIfAbsent("LANG", "C.UTF-8");
        env.put("PATH", path);
        env.put("BUNDLE_WITHOUT", DEFAULT_WITHOUT);
        if (Files.isRegularFile(slug.resolve(RubyProject.LOCKFILE))) {
            env.put("BUNDLE_FROZEN", "true");
        }
        BuildEnvironment.putFromApp(env, configVars, FROM_APP);
        for (Map.Entry<String, String> var : configVars.entrySet()) {
            if (var.getKey().startsWith(BUILD_SETTINGS) && !var.getValue().isBlank()) {
                env.put(var.getKey(), var.getValue());
            }
        }
        env.putAll(gems(slug, cache));
        env.put("BUNDLE_SILENCE_ROOT_WARNING", "true");
        env.put("BUNDLE_DISABLE_VERSION_CHECK", "true");
        env.put("BUNDLE_IGNORE_MESSAGES", "true");
        return env;
    }

    /**
     * What the app's processes get: where its gems are (with a Gemfile), and the production
     * environment, except what the app's config vars set themselves.
     */
    static Map<String, String> runtime(boolean gemfile, Map<String, String> configVars, Path slug, Path cache) {
        Map<String, String> env = new LinkedHashMap<>();
        if (gemfile) {
            env.putAll(gems(slug, cache));
            env.put("BUNDLE_WITHOUT", DEFAULT_WITHOUT);
        }
        env.put("RACK_ENV", PRODUCTION);
        env.put("RAILS_ENV", PRODUCTION);
        env.keySet().removeAll(configVars.keySet());
        return env;
    }

    private static Map<String, String> gems(Path slug, Path cache) {
        Path gems = cache.resolve(GEMS);
        return Map.of("GEM_HOME", gems.toString(),
                "GEM_PATH", gems + File.pathSeparator,
                "BUNDLE_GEMFILE", slug.resolve(RubyProject.GEMFILE).toString(),
                "BUNDLE_USER_HOME", cache.resolve(BUNDLER_HOME).toString());
    }
}
