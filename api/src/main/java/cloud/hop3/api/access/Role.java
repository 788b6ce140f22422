package cloud.hop3.api.access;

import java.util.Locale;

/**
 * What a user may do, given by a {@link Grant}: everything, the changes of named apps, or reading.
 */
public enum Role {
    /** Everything: every app, users, keys, plugins and the platform itself. */
    ADMIN,
    /**
     * On the apps named in the grant: push, config, scaling, restarts, rollback, domains, add-ons
     * and backups, and reading them. Nothing on other apps, no destroy.
     */
    DEPLOYER,
    /** Reading: on every app when the grant names none, else on the apps it names. */
    VIEWER;

    /** The role's name as users type it ({@code admin}, {@code deployer}, {@code viewer}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code word}, in any case.
     *
     * @throws IllegalArgumentException naming the roles, when there is no such role
     */
    public static Role of(String word) {
        if (word != null) {
            for (Role role : values()) {
                if (role.word().equalsIgnoreCase(word.strip())) {
                    return role;
                }
            }
        }
        String shown = word == null ? "" : (word.length() > 20 ? word.substring(0, 20) + "..." : word).replaceAll("[^\\x20-\\x7e]", "?");
        throw new IllegalArgumentException("Unknown role '" + shown + "': the roles are admin, deployer and viewer.");
    }

    @Override
    public String toString() {
        return word();
    }
}
