package cloud.hop3.addon.mariadb;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL that makes, changes and drops add-ons, written once. Every name and password it quotes
 * comes from the plugin (an add-on's identifier, a generated password) and is checked against
 * a plain pattern before it is quoted, so no statement carries anything else. Stateless.
 */
final class MariaDbStatements {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%_-]{1,255}");

    private MariaDbStatements() {
    }

    /** A new database with a user (one per host) that may do everything in it and nothing elsewhere. */
    static String create(String database, String user, String password, List<String> hosts) {
        return "CREATE DATABASE " + id(database) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
                + createUser(database, user, password, hosts);
    }

    /** A user (one per host) with every right on {@code database} only. */
    static String createUser(String database, String user, String password, List<String> hosts) {
        StringBuilder sql = new StringBuilder();
        for (String host : hosts) {
            sql.append("CREATE USER ").append(account(user, host)).append(" IDENTIFIED BY ").append(password(password))
                    .append(";\nGRANT ALL PRIVILEGES ON ").append(id(database)).append(".* TO ")
                    .append(account(user, host)).append(";\n");
        }
        return sql.toString();
    }

    /** Drops a user on every host and closes its open connections; a missing one is not an error. */
    static String dropUser(String user, List<String> hosts) {
        StringBuilder sql = new StringBuilder();
        for (String host : hosts) {
            sql.append("DROP USER IF EXISTS ").append(account(user, host)).append(";\n");
        }
        return sql.append("KILL CONNECTION USER ").append(literal(name(user))).append(";\n").toString();
    }

    /** Drops a database and its tables; a missing one is not an error. */
    static String dropDatabase(String database) {
        return "DROP DATABASE IF EXISTS " + id(database) + ";\n";
    }

    /** An empty database in place of {@code database} (its users' rights stay, they are not on the tables). */
    static String recreateDatabase(String database) {
        return dropDatabase(database) + "CREATE DATABASE " + id(database)
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n";
    }

    /** How many of a database of that name and users of that name exist (0 when neither). */
    static String countExisting(String database, String user) {
        return "SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + literal(name(database))
                + ") + (SELECT COUNT(*) FROM mysql.user WHERE User = " + literal(name(user)) + ")";
    }

    /** How many users of that name exist. */
    static String countUsers(String user) {
        return "SELECT COUNT(*) FROM mysql.user WHERE User = " + literal(name(user));
    }

    /** The server's version, the number of tables of {@code database} and their size in bytes. */
    static String status(String database) {
        return "SELECT VERSION(), COUNT(*), COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0)"
                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(name(database));
    }

    static String id(String name) {
        return "`" + name(name) + "`";
    }

    private static String account(String user, String host) {
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("Not a host for a MariaDB user: " + host);
        }
        return literal(name(user)) + "@" + literal(host);
    }

    private static String password(String password) {
        if (!PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("Not a generated password");
        }
        return literal(password);
    }

    private static String literal(String checked) {
        return "'" + checked + "'";
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a MariaDB name the plugin makes: " + name);
        }
        return name;
    }
}
