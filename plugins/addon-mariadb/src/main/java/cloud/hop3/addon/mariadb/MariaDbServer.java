package cloud.hop3.addon.mariadb;

import java.util.List;

import cloud.hop3.api.addon.AddonException;

/** The server the add-ons live on, embedded or external, as the add-on operations need it. */
interface MariaDbServer {

    /** A connection with every right on the server, the server started first where it is ours to start. */
    MariaDbConnection admin() throws AddonException;

    /** The host apps connect to. */
    String host();

    /** The port apps connect to. */
    int port() throws AddonException;

    /** The hosts each add-on's user is created for ({@code 'user'@'host'}). */
    List<String> userHosts();

    /** "embedded, 127.0.0.1:41234" or "external, db.example.org:3306". */
    String where();
}
