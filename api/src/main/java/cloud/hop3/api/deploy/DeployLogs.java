package cloud.hop3.api.deploy;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * The log of each app's latest deploy, kept while it runs and after (on disk, until the next one
 * starts), so that it can be followed from another door than the one that started it: the
 * dashboard shows a {@code git push} as it happens. Implemented by core; thread-safe.
 *
 * @since 1.3
 */
@ProviderType
public interface DeployLogs {

    /** The lines of the app's latest deploy from line {@code from} (0 for the first), at most {@code max}. */
    DeployLogChunk read(AppName app, int from, int max);

    /**
     * {@link #read}, waiting up to {@code timeout} for something new when there is nothing more
     * to read: a line, the end of the deploy, or another deploy starting (whose chunk then
     * starts at its line 0, with its new {@link DeployLogChunk#deploy()}).
     *
     * @param deploy the deploy the caller follows ({@link DeployLogChunk#deploy()}); another one's
     *               lines are read from its first line
     */
    DeployLogChunk await(AppName app, String deploy, int from, int max, Duration timeout) throws InterruptedException;
}
