package cloud.hop3.core.impl.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The platform's settings as resolved from core's configuration, the {@code HOP3_*} environment
 * variables and the defaults, in that order.
 *
 * @param home   the state directory ({@code HOP3_HOME})
 * @param domain the domain apps answer on ({@code HOP3_DOMAIN})
 */
public record PlatformSettings(Path home, String domain) {

    /** Resolves the settings of this JVM. */
    public static PlatformSettings resolve(CoreConfig config) {
        return resolve(config, System::getenv, System.getProperties()::getProperty);
    }

    /** Resolves the settings from explicit sources (used by tests). */
    static PlatformSettings resolve(CoreConfig config, Function<String, String> env,
                                    Function<String, String> systemProperties) {
        String home = firstNonBlank(config.home(), env.apply("HOP3_HOME"));
        if (home == null) {
            String karafData = systemProperties.apply("karaf.data");
            home = Path.of(karafData == null ? "data" : karafData, "hop3").toString();
        }
        String domain = firstNonBlank(config.domain(), env.apply("HOP3_DOMAIN"));
        if (domain == null) {
            domain = "localhost";
        }
        return new PlatformSettings(Path.of(home).toAbsolutePath().normalize(), domain.toLowerCase(java.util.Locale.ROOT));
    }

    /** The first value that is not blank, trimmed; null when there is none. */
    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** The directory of one app's state. */
    public Path appDirectory(String app) {
        return home.resolve("apps").resolve(app);
    }

    @Override
    public String toString() {
        return Map.of("home", home, "domain", domain).toString();
    }
}
