package cloud.hop3.addon.postgres;

import static cloud.hop3.addon.postgres.Psql.identifier;
import static cloud.hop3.addon.postgres.Psql.literal;

import java.util.List;

import cloud.hop3.api.addon.AddonException;

/**
 * The add-ons on one server, as SQL run by its admin: each is a login role and a database of the
 * same name ({@link cloud.hop3.api.addon.AddonName#identifier()}) that the role owns, and that
 * no one else may connect to ({@code REVOKE ... FROM PUBLIC}).
 * <p>
 * A PostgreSQL role has one password, so a rotation creates a second login role
 * {@code <name>_r<n>}, a member of the owner role that takes it on at every login
 * ({@code ALTER ROLE ... SET role}): what the app creates with the new credentials is owned by the
 * owner role, as before. Retiring drops the old login role, or, when the old one is the owner role
 * itself, takes its login away; either way its sessions are ended.
 */
final class PostgresAddons {

    /** What the creation script raises when the name is taken. */
    private static final String TAKEN = "hop3: the name is taken";

    private final Psql psql;
    private final PostgresConnection admin;

    PostgresAddons(Psql psql, PostgresConnection admin) {
        this.psql = psql;
        this.admin = admin;
    }

    /**
     * Creates the role and the database {@code name}, the role with {@code password}: one psql
     * run, which first makes sure that neither exists (a role or database of the same name,
     * whoever made it, is never taken over).
     */
    void create(String name, String password) throws AddonException {
        String role = identifier(name);
        try {
            psql.execute(admin, "DO $hop3$ BEGIN\n"
                    + "  IF EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(name) + ")"
                    + " OR EXISTS (SELECT FROM pg_database WHERE datname = " + literal(name) + ") THEN\n"
                    + "    RAISE EXCEPTION '" + TAKEN + "';\n  END IF;\nEND $hop3$;\n"
                    + "CREATE ROLE " + role + " LOGIN PASSWORD " + literal(password) + ";\n"
                    // an admin that is not a superuser must be a member of the role to give it a database
                    + "SELECT NOT rolsuper AS hop3_grant FROM pg_roles WHERE rolname = current_user \\gset\n"
                    + "\\if :hop3_grant\n  GRANT " + role + " TO CURRENT_USER;\n\\endif\n"
                    + "CREATE DATABASE " + role + " OWNER " + role + ";\n"
                    + "REVOKE ALL ON DATABASE " + role + " FROM PUBLIC;\n");
        } catch (AddonException e) {
            if (e.getMessage().contains(TAKEN)) {
                throw new AddonException("A role or database named '" + name + "' exists already on the PostgreSQL server at "
                        + admin.address() + "; choose another add-on name");
            }
            try {
                psql.execute(admin, "DROP DATABASE IF EXISTS " + role + ";\nDROP ROLE IF EXISTS " + role + ";\n");
            } catch (AddonException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Drops the database {@code name}, its login roles and its owner role; nothing for what is gone. */
    void destroy(String name) throws AddonException {
        String role = identifier(name);
        psql.execute(admin, "DROP DATABASE IF EXISTS " + role + " WITH (FORCE);\n");
        for (String login : loginRoles(name)) {
            dropLogin(login);
        }
        psql.execute(admin, "DROP ROLE IF EXISTS " + role + ";\n");
    }

    /**
     * A new login role for {@code name} with {@code password}, a member of its owner role; returns
     * the role's name.
     */
    String rotate(String name, String password) throws AddonException {
        String exists = psql.value(admin, "SELECT count(*) FROM pg_roles WHERE rolname = " + literal(name) + ";");
        if (!"1".equals(exists)) {
            throw new AddonException("The add-on's role '" + name + "' is missing on the PostgreSQL server at " + admin.address());
        }
        String next = psql.value(admin, "SELECT coalesce(max(substring(rolname FROM " + literal("^" + name + "_r([0-9]+)$")
                + ")::int), 0) + 1 FROM pg_roles WHERE rolname ~ " + literal("^" + name + "_r[0-9]+$") + ";");
        String login = name + "_r" + next;
        psql.execute(admin, "CREATE ROLE " + identifier(login) + " LOGIN PASSWORD " + literal(password)
                + " IN ROLE " + identifier(name) + ";\n"
                + "ALTER ROLE " + identifier(login) + " SET role = " + literal(name) + ";\n");
        return login;
    }

    /** Makes the login role {@code old} of add-on {@code name} stop working, its sessions ended. */
    void retire(String name, String old) throws AddonException {
        if (old.equals(name)) {
            psql.execute(admin, "ALTER ROLE " + identifier(name) + " NOLOGIN PASSWORD NULL;\n" + terminate(old));
        } else if (loginRoles(name).contains(old)) {
            dropLogin(old);
        } else if (!old.matches(java.util.regex.Pattern.quote(name) + "_r[0-9]+")) {
            throw new AddonException("The role '" + old + "' is not one of the add-on '" + name + "'");
        }
    }

    /** The rotated login roles of {@code name}. */
    List<String> loginRoles(String name) throws AddonException {
        return psql.query(admin, "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid"
                + " JOIN pg_roles o ON o.oid = m.roleid WHERE o.rolname = " + literal(name)
                + " AND r.rolname ~ " + literal("^" + name + "_r[0-9]+$") + " ORDER BY 1;").stream().map(r -> r.get(0)).toList();
    }

    /** The server's version ("15.14"). */
    String serverVersion() throws AddonException {
        return psql.value(admin, "SHOW server_version;").split(" ")[0];
    }

    private void dropLogin(String login) throws AddonException {
        psql.execute(admin, "ALTER ROLE " + identifier(login) + " NOLOGIN;\n" + terminate(login)
                + "DROP ROLE IF EXISTS " + identifier(login) + ";\n");
    }

    /**
     * Ends the sessions of {@code login}; an admin that is not a superuser may not be allowed to,
     * and then the sessions end with their clients.
     */
    private static String terminate(String login) {
        return "DO $hop3$ BEGIN\n  PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = " + literal(login)
                + ";\nEXCEPTION WHEN insufficient_privilege THEN NULL;\nEND $hop3$;\n";
    }
}
