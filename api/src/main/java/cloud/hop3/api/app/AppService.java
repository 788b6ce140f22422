package cloud.hop3.api.app;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

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
}
