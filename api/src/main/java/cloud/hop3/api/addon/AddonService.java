package cloud.hop3.api.addon;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;

/**
 * Add-ons for front ends (shell commands, REST, dashboard), provided by core. Every method checks
 * its input and changes nothing when it throws.
 */
@ProviderType
public interface AddonService {

    /** The types that can be created now, by type. */
    List<AddonType> types();

    /** Every add-on, by name. */
    List<AddonInfo> list();

    /** One add-on; {@link AddonException} when there is none of that name. */
    AddonInfo info(AddonName name) throws AddonException;

    /** Creates an add-on of an installed type; {@link AddonException} for a taken name or a missing type. */
    AddonInfo create(String type, AddonName name, Map<String, String> options) throws AddonException;

    /**
     * Attaches an add-on to an app: its variables become config vars of the app, in a new release
     * when the app runs (no request fails).
     *
     * @param prefix the variables' prefix; empty for the type's default. A prefix whose
     *               {@code _URL} the app has already is refused, naming {@code --as}.
     */
    void attach(AddonName name, AppName app, Optional<String> prefix, BuildLog log)
            throws AddonException, DeployException, InterruptedException;

    /** Removes the add-on's variables from the app, in a new release; the add-on and its data stay. */
    void detach(AddonName name, AppName app, BuildLog log) throws AddonException, DeployException, InterruptedException;

    /** Drops an add-on and its data; refused while it is attached to an app. */
    void destroy(AddonName name) throws AddonException;

    /**
     * New credentials: every attached app gets them in a new release, then the old ones stop
     * working.
     */
    void rotate(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException;

    /**
     * Moves an add-on to a new database made by its plugin with {@code version} (empty: the
     * plugin's default, its newest): the data is dumped and restored into it, and every attached
     * app gets the new credentials in a new release. The previous database is kept, as it was at
     * the dump, until {@link #finishUpgrade} drops it or {@link #undoUpgrade} moves the apps back.
     * Writes made between the dump and an app's new release stay in the previous database.
     */
    void upgrade(AddonName name, Optional<String> version, BuildLog log)
            throws AddonException, DeployException, InterruptedException;

    /** Drops the database an upgrade moved the add-on from; refused when no upgrade waits. */
    void finishUpgrade(AddonName name) throws AddonException;

    /** Moves every attached app back to the database the upgrade moved the add-on from, and drops the new one. */
    void undoUpgrade(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException;

    /** The server's own client on the add-on. */
    ClientCommand client(AddonName name) throws AddonException;
}
