package cloud.hop3.api.access;

import java.time.Instant;
import java.util.List;

/**
 * A person (or a program) who acts on the platform.
 *
 * @param name     the user's name, as {@link Actor#USER_NAME} allows; also the shell login name
 * @param disabled whether the user is refused at every door until enabled again
 * @param grants   the roles given to the user
 * @param keys     the names of the user's SSH keys (as {@code key:list} shows them)
 * @param created  when the user was added
 */
public record User(String name, boolean disabled, List<Grant> grants, List<String> keys, Instant created) {

    public User {
        checkName(name);
        grants = grants == null ? List.of() : List.copyOf(grants);
        keys = keys == null ? List.of() : keys.stream().sorted().distinct().toList();
        if (created == null) {
            throw new IllegalArgumentException("A user needs the time it was added.");
        }
    }

    /**
     * Checks a user name.
     *
     * @return the name
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static String checkName(String name) {
        if (name == null || !Actor.USER_NAME.matcher(name).matches()) {
            String shown = name == null ? "" : (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            throw new IllegalArgumentException("Invalid user name '" + shown + "': a lower-case letter, then up to 31"
                    + " lower-case letters, digits, '.', '_' or '-'.");
        }
        return name;
    }

    /** Whether the user holds {@code role} on every app or on some. */
    public boolean has(Role role) {
        return grants.stream().anyMatch(g -> g.role() == role);
    }

    /** The user's roles, as one phrase ("deployer on shop; viewer on every app"), for lists. */
    public String describeGrants() {
        return grants.isEmpty() ? "no role" : String.join("; ", grants.stream().map(Grant::toString).toList());
    }
}
