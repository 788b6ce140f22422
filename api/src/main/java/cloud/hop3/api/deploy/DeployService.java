package cloud.hop3.api.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.build.BuildLog;

/**
 * The deploy pipeline: build a source tree, make a release, start it, health-check it, switch
 * the routes, stop the previous processes. Implemented by core.
 * <p>
 * <b>Callers.</b> The git receiver after a push, and the front ends. Deploys of one app are queued
 * (bounded) and run one at a time; a call blocks until its deploy ends.
 * <p>
 * <b>Failure.</b> Anything that fails before the routes switch leaves the previous release
 * serving, untouched, and throws {@link DeployException} with the reason, which the git client
 * shows before the push exits non-zero.
 */
@ProviderType
public interface DeployService {

    /**
     * Deploys {@code source} (a checked-out tree that the pipeline may move or delete).
     *
     * @param revision the git revision deployed, for the release's reason
     * @param log      where progress goes as it happens
     * @return the release now serving
     */
    Release deploy(AppName app, Path source, String revision, BuildLog log) throws DeployException, InterruptedException;

    /**
     * Makes a new release from an earlier one's build, config and formation, without building.
     *
     * @param release the release to go back to; 0 for the one before the current one
     */
    Release rollback(AppName app, int release, BuildLog log) throws DeployException, InterruptedException;

    /** Sets and removes config vars; the result is a new release, put into service like a deploy. */
    Release configure(AppName app, Map<String, String> set, Set<String> unset, BuildLog log)
            throws DeployException, InterruptedException;

    /**
     * Sets resource limits of the app's processes ({@code memory=512M}, {@code cpu=0.5},
     * {@code processes=64}, {@code files=4096}; an empty value removes what was set, so the
     * app's hop3.toml or the platform's default applies again). They go over what hop3.toml
     * declares and hold across deploys. With a release, the result is a new release, put into
     * service like a deploy; before the first deploy they are only stored.
     *
     * @return the release now serving, or null when the app has no release yet
     * @throws DeployException when a key or value is not valid (nothing is changed), or the new
     *                         release fails to start (the previous one keeps serving)
     */
    Release limit(AppName app, Map<String, String> limits, BuildLog log) throws DeployException, InterruptedException;

    /** Changes how many processes of each type run; types not named keep their count. */
    void scale(AppName app, Map<String, Integer> counts, BuildLog log) throws DeployException, InterruptedException;

    /** Replaces every process of the app with a fresh one, without downtime. */
    void restart(AppName app, BuildLog log) throws DeployException, InterruptedException;

    /** Stops the app's processes and its routes; it stays stopped across platform restarts. */
    void stop(AppName app) throws DeployException, InterruptedException;

    /** Starts a stopped app again. */
    void start(AppName app, BuildLog log) throws DeployException, InterruptedException;

    /**
     * The app's last deploy, when a stop of the platform interrupted it; reported from the next
     * start of the platform until a deploy of the app succeeds.
     */
    Optional<InterruptedDeploy> interrupted(AppName app);
}
