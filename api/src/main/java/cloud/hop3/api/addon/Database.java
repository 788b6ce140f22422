package cloud.hop3.api.addon;

import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.AppName;

/**
 * <b>Draft, not implemented.</b> A first sketch of a database add-on type (PostgreSQL, Redis,
 * MariaDB, ...), to be registered with the service property {@value #TYPE_PROPERTY}. No plugin
 * implements it and core never calls it: there is no add-on service, no {@code addon:*} command,
 * and apps cannot declare add-ons yet. The database work will redesign it; see the
 * {@linkplain cloud.hop3.api.addon package} description.
 * <p>
 * What the sketch intends: core would call it on worker threads, one call at a time per
 * instance; {@link #provision(AppName, String)} of an instance that exists would return it
 * unchanged and {@link #deprovision(AddonInstance)} of a missing one would do nothing; when the
 * plugin goes away, databases would keep running and apps keep their connections.
 */
@ConsumerType
public interface Database {

    /** Service property that would hold the add-on type. */
    String TYPE_PROPERTY = "hop3.database";

    /** The add-on type ("postgres", "redis", "mysql"). */
    String type();

    /**
     * Would create (or find) the instance {@code instanceName} for {@code app}.
     *
     * @return the instance, with the environment that connects to it
     */
    AddonInstance provision(AppName app, String instanceName) throws AddonException;

    /** Would drop the instance and its data. */
    void deprovision(AddonInstance instance) throws AddonException;

    /** Would write a consistent dump of the instance to {@code out}. */
    void dump(AddonInstance instance, OutputStream out) throws AddonException;

    /** Would replace the instance's data with a dump read from {@code in}. */
    void restore(AddonInstance instance, InputStream in) throws AddonException;
}
