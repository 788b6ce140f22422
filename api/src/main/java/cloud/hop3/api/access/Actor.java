package cloud.hop3.api.access;

import java.util.regex.Pattern;

/**
 * Who does something, through which door, from where: what the authorization service decides on
 * and what the audit trail records.
 *
 * @param user    the user's name, or {@link #PLATFORM_USER} for the platform's own work
 * @param door    how they came in
 * @param address where from (an IP address, "local"), one word
 */
public record Actor(String user, Door door, String address) {

    /** The user name of the platform's own work (schedules, recovery). */
    public static final String PLATFORM_USER = "hop3";

    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** What a user name may be: it is also a name in files and in Karaf's user list. */
    public static final Pattern USER_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");

    public Actor {
        if (user == null || !USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("Invalid user name: a lower-case letter, then up to 31 letters, digits,"
                    + " '.', '_' or '-'");
        }
        if (door == null) {
            throw new IllegalArgumentException("An actor needs a door");
        }
        address = address == null || address.isBlank() ? "local" : SPACES.matcher(address.strip()).replaceAll("_");
    }

    /** The platform itself, acting on a schedule or on its own. */
    public static Actor platform(Door door) {
        return new Actor(PLATFORM_USER, door, "local");
    }
}
