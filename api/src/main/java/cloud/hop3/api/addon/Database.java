package cloud.hop3.api.addon;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A type of database add-on (PostgreSQL, Redis, MariaDB): a plugin that creates databases on a
 * server it runs or is pointed at, registered with the service property {@value #TYPE_PROPERTY}.
 * <p>
 * Core calls it on worker threads, never two calls for the same add-on at once, and keeps what
 * it returns (the credentials, encrypted at rest): a plugin keeps no list of add-ons of its own
 * beyond its servers' data. Each add-on is one database with its own user and password (Redis:
 * its own server process), so that one app's credentials open no other add-on. When the plugin
 * goes away (updated, removed), its servers keep running and apps keep their connections; an
 * updated plugin takes them over without restarting them.
 */
@ConsumerType
public interface Database {

    /** Service property that holds the type ("postgres", "redis", "mariadb"). */
    String TYPE_PROPERTY = "hop3.database";

    /** The type, as users name it in {@code addon:create <type>}. */
    String type();

    /** One line for {@code addon:types}: the server it uses and its version ("embedded PostgreSQL 16.4"). */
    String describe();

    /**
     * Creates the add-on {@code name}: its database, user and password on the server.
     *
     * @param options the user's options ({@code version}, sizes...), each checked: an unknown one
     *                is an {@link AddonException} that names the known ones
     * @return what reaches it again
     * @throws AddonException when it exists already on the server, or the server refuses, with
     *                        the server's own words
     */
    AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException;

    /** Drops the add-on and its data; an add-on that is already gone is not an error. */
    void destroy(AddonName name, AddonCredentials credentials) throws AddonException;

    /**
     * New credentials for the add-on, which work at once while the current ones keep working
     * until {@link #retire}: an app moves to the new ones with a release, without a failed request.
     */
    AddonCredentials rotate(AddonName name, AddonCredentials current) throws AddonException;

    /** Makes {@code old} stop working, once no app uses them; {@code current} keeps working. */
    void retire(AddonName name, AddonCredentials old, AddonCredentials current) throws AddonException;

    /**
     * The variables an app gets: {@code <prefix>_URL} and the ones the ecosystem's clients read
     * ({@code PGHOST}..., {@code MYSQL_*}) when the prefix is the type's default ({@code DATABASE},
     * {@code REDIS}).
     *
     * @param prefix {@code DATABASE}, {@code REDIS}, or the user's {@code --as}
     */
    Map<String, String> environment(AddonCredentials credentials, String prefix);

    /** The prefix an attachment takes without {@code --as}: {@code DATABASE} or {@code REDIS}. */
    String defaultPrefix();

    /** How the add-on's server is; never throws, a failure is a status that says why. */
    DatabaseStatus status(AddonName name, AddonCredentials credentials);

    /** The server's own client on this add-on. */
    ClientCommand client(AddonCredentials credentials);

    /** Writes a consistent dump of the add-on to {@code out}, in the server's own format. */
    void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException;

    /**
     * A mark of everything a {@link #dump} of the add-on would hold, read before a dump: when the
     * mark read before a later dump is equal, nothing that a dump holds can have changed since,
     * and a backup may keep the earlier dump instead of dumping again. A mark must change with
     * every committed change of the add-on's data, schema or sequences; it may change without
     * one (the server's own housekeeping), which costs only a dump that was not needed.
     * <p>
     * Empty (the default) when the plugin cannot tell: every backup dumps.
     *
     * @throws AddonException when the server cannot be asked; the backup then dumps
     */
    default Optional<String> changeMark(AddonName name, AddonCredentials credentials) throws AddonException {
        return Optional.empty();
    }

    /** Replaces the add-on's data with a dump that {@link #dump} wrote. */
    void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException;

    /**
     * What the add-on holds, counted exactly: rows per table ({@code public.orders}) for SQL
     * servers, keys for Redis ({@code keys}). A backup's restore check restores a dump into a
     * scratch add-on and compares these counts with the ones taken when the backup was made.
     * Empty when the plugin cannot count.
     */
    default Map<String, Long> count(AddonName name, AddonCredentials credentials) throws AddonException {
        return Map.of();
    }

    /**
     * What a dump that {@link #dump} wrote holds, counted from the dump itself in the keys of
     * {@link #count}: a backup records these next to the dump, so that they describe exactly what
     * was dumped even while the app kept writing, and its restore check compares them with
     * {@link #count} of a scratch add-on the dump is restored into. Empty when the plugin cannot
     * tell from the dump.
     *
     * @param dump the dump, read to its end; the caller closes it
     * @throws AddonException when the dump cannot be read
     */
    default Map<String, Long> countDump(InputStream dump) throws AddonException {
        return Map.of();
    }
}
