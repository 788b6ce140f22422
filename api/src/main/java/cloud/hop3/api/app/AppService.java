package cloud.hop3.api.app;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.process.ProcessStatus;

/**
 * Apps: the one implementation of app logic behind the shell commands, the REST API and the
 * dashboard. Implemented by core.
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
     * Its data directory is kept unless {@code purge} is set.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    void destroy(AppName name, boolean purge);

    /** The app's config vars, sorted by name. */
    Map<String, String> config(AppName name);

    /** The app's processes as its process driver reports them. */
    List<ProcessStatus> processes(AppName name);

    /** The last {@code lines} lines of the app's process output, oldest first. */
    List<String> logs(AppName name, int lines);

    /**
     * Runs a one-off command in the app's current release, with its environment, copying the
     * output to {@code output}.
     *
     * @return the command's exit status
     * @throws IllegalStateException when the app has no release yet
     */
    int run(AppName name, String command, OutputStream output, Duration timeout) throws Exception;

    /**
     * Adds a host name the app answers to, besides {@code <app>.<domain>}.
     *
     * @throws IllegalArgumentException when the name is not a valid host name
     * @throws IllegalStateException    when another app uses it
     */
    void addDomain(AppName name, String host) throws Exception;

    /** Removes a host name added with {@link #addDomain}. */
    void removeDomain(AppName name, String host) throws Exception;

    /**
     * Every host name the app answers to: {@code <app>.<domain>} first, then the domains added.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    List<String> hosts(AppName name);
}
