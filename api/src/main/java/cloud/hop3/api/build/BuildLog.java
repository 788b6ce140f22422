package cloud.hop3.api.build;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a builder reports progress. Core streams it to the {@code git push} client as it
 * happens and keeps it in the app's build log. Implemented by core; thread-safe.
 */
@ProviderType
public interface BuildLog {

    /** A step, shown as {@code -----> text}. */
    void step(String text);

    /** A line of detail or of a tool's output, shown indented. */
    void info(String text);

    /** Something the user should look at, shown as {@code ! text}. */
    void warn(String text);
}
