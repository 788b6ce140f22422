package cloud.hop3.api.app;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessStatus;

/**
 * Apps: the one implementation of app logic behind the shell commands and the git receiver (and
 * the front ends to come: a REST API and a dashboard). Implemented by core.
 * <p>
 * Callers: front ends and the git receiver, from any thread; every method is thread-safe and
 * changes to one app are serialised. Every change is persisted atomically before the method
 * returns, so a platform crash never leaves a half-written app.
 */
@ProviderType
public interface AppService {

    /** Every app, sorted by name. */
    List<AppInfo> list();

    /** The app with this name, if it exists. */
    Optional<AppInfo> find(AppName name);

    /**
     * Creates an app with no release yet.
     *
     * @throws IllegalStateException when an app of that name exists
     */
    AppInfo create(AppName name);

    /**
     * Destroys an app: stops its processes, removes its routes, releases and repository.
     * Its data directory is kept unless {@code purge} is set. Waits for a deploy or other change
     * of the app under way to end first.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     * @throws AppException                    when too many changes of the app wait already, or
     *                                         the app was destroyed but the proxy refused the
     *                                         routes without it
     * @throws InterruptedException            when the caller is interrupted while waiting
     */
    void destroy(AppName name, boolean purge) throws AppException, InterruptedException;

    /** The app's config vars, sorted by name. */
    Map<String, String> config(AppName name);

    /**
     * The app's resource limits, where they come from, and how the platform enforces them.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    AppLimits limits(AppName name);

    /** The app's processes as its process driver reports them. */
    List<ProcessStatus> processes(AppName name);

    /**
     * The last {@code lines} lines of the app's process output, oldest first, with the position
     * to follow the output from.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    LogChunk tail(AppName name, int lines);

    /**
     * The app's process output written from {@code from} on (the {@link LogChunk#next()} of an
     * earlier call), at most {@code max} lines, oldest first: each line once, across log rotation.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     * @throws IllegalArgumentException         when {@code from} is not a position given for this app
     */
    LogChunk logs(AppName name, String from, int max);

    /**
     * Runs a one-off command in the app's current release, with its environment, copying the
     * output to {@code output}.
     *
     * @return the command's exit status
     * @throws IllegalStateException when the app has no release yet
     * @throws AppException          when the command cannot be launched, or did not end within
     *                               {@code timeout} (it is then killed)
     * @throws InterruptedException  when the caller is interrupted meanwhile
     */
    int run(AppName name, String command, OutputStream output, Duration timeout) throws AppException, InterruptedException;

    /**
     * Adds a host name the app answers to, besides {@code <app>.<domain>}.
     *
     * @throws IllegalStateException          when this or another app answers to it already
     * @throws java.util.NoSuchElementException when there is no such app
     * @throws AppException                    when no proxy is installed or it refuses the new
     *                                         routes; nothing is changed then
     */
    void addDomain(AppName name, HostName host) throws AppException;

    /**
     * Removes a host name added with {@link #addDomain}.
     *
     * @throws java.util.NoSuchElementException when there is no such app, or it has no such domain
     * @throws AppException                    when no proxy is installed or it refuses the new
     *                                         routes; nothing is changed then
     */
    void removeDomain(AppName name, HostName host) throws AppException;

    /**
     * Every host name the app answers to: {@code <app>.<domain>} first, then the domains added.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    List<String> hosts(AppName name);

    /**
     * How the app is kept apart from other apps and from the platform, in words for people:
     * {@code own user hop3-shop} when its builds and processes run as a Unix user of its own, or
     * {@code none, runs as the platform's user (reason)} where the platform cannot switch users.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     * @since 2.1
     */
    String isolation(AppName name);

    /**
     * The app's process driver: the one chosen for it, else the platform's default.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     * @since 2.2
     */
    AppDriver driver(AppName name);

    /**
     * Chooses the app's process driver. The change is stored at once and takes effect with the
     * app's next release (a deploy, a config change, a rollback); what runs now keeps running.
     *
     * @param driver the name of an installed driver; null or empty for the platform's default
     * @return the app's driver after the change
     * @throws java.util.NoSuchElementException when there is no such app
     * @throws IllegalArgumentException         when no driver of that name is installed; nothing is
     *                                          changed then
     * @since 2.2
     */
    AppDriver driver(AppName name, String driver);

    /**
     * What the app's driver would send to put a release into service, as text (YAML for
     * Kubernetes), without sending it; for a driver that starts processes one by one, a sentence
     * that says it has nothing to preview.
     *
     * @param release the release number; 0 for the current release
     * @throws java.util.NoSuchElementException when there is no such app or release
     * @throws IllegalStateException           when the app has no release yet, or the build of the
     *                                         release is no longer kept
     * @throws AppException                    when the driver cannot make the preview
     * @since 2.2
     */
    String preview(AppName name, int release) throws AppException;
}
