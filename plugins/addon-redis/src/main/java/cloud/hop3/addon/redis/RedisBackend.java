package cloud.hop3.addon.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;

/**
 * Where the plugin's add-ons live: a server process of their own each ({@link EmbeddedRedis}),
 * or ACL users on one external server ({@link ExternalRedis}). What is the same for both (the ACL
 * user's passwords, the environment, the status) stays in {@link RedisDatabase}.
 */
interface RedisBackend {

    /** "embedded Redis 7.0.15" or "external Redis at host:port". */
    String describe();

    /** Creates the add-on's server or user; its credentials. */
    AddonCredentials create(AddonName name, int maxMemoryMegabytes) throws AddonException;

    /** Drops the add-on and its data; nothing to do when it is gone. */
    void destroy(AddonName name, AddonCredentials credentials) throws AddonException;

    /** A connection allowed to change the add-on's ACL user. */
    RespConnection admin(AddonCredentials credentials) throws IOException, AddonException;

    /** Makes the ACL changes made on {@code connection} survive a restart of the server. */
    void persist(RespConnection connection) throws IOException, AddonException;

    /** "embedded, 127.0.0.1:41234" or "external, host:port". */
    String server(AddonCredentials credentials);

    /** How many keys the add-on holds. */
    long keys(AddonName name, AddonCredentials credentials) throws AddonException;

    void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException;

    void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException;

    /** The plugin goes away: {@code stopServers} when the platform itself stops, else they keep running. */
    void close(boolean stopServers);
}
