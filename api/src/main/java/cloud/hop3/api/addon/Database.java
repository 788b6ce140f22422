package cloud.hop3.api.addon;

import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.AppName;

/**
 * A database add-on type (PostgreSQL, Redis, MariaDB, ...). Registered with the service property
 * {@value #TYPE_PROPERTY}; apps declare add-ons by type.
 * <p>
 * <b>Callers.</b> Core's add-on service and backup service, on worker threads; calls for one
 * instance are serialised by core.
 * <p>
 * <b>Idempotence.</b> {@link #provision(AppName, String)} of an instance that exists returns it
 * unchanged; {@link #deprovision(AddonInstance)} of a missing one does nothing.
 * <p>
 * <b>Going away.</b> Databases keep running and apps keep their connections; add-on commands and
 * backups of that type fail with the missing plugin's name until it is back.
 */
@ConsumerType
public interface Database {

    /** Service property holding the add-on type. */
    String TYPE_PROPERTY = "hop3.database";

    /** The add-on type ("postgres", "redis", "mysql"). */
    String type();

    /**
     * Creates (or finds) the instance {@code instanceName} for {@code app}.
     *
     * @return the instance, with the environment that connects to it
     */
    AddonInstance provision(AppName app, String instanceName) throws AddonException;

    /** Drops the instance and its data. */
    void deprovision(AddonInstance instance) throws AddonException;

    /** Writes a consistent dump of the instance to {@code out}. */
    void dump(AddonInstance instance, OutputStream out) throws AddonException;

    /** Replaces the instance's data with a dump read from {@code in}. */
    void restore(AddonInstance instance, InputStream in) throws AddonException;
}
