package cloud.hop3.core.impl.isolation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import cloud.hop3.api.app.AppName;

/**
 * The name of an app's Unix user (and of its group): {@code hop3-} and the app's name, which
 * {@link AppName} already restricts to what a user name may hold ({@code [a-z][a-z0-9-]*}).
 * <p>
 * Linux user names hold at most 32 characters ({@code useradd} refuses longer ones) and app
 * names up to 63. A name that does not fit is cut and ends with {@code -} and eight hex digits of
 * the SHA-256 of the whole app name, so that two long names with a common start get two users.
 * Cut names are 32 characters long, names that fit are at most 31: a short app name can never
 * equal a cut one. Names are system users: ids come from the system range ({@code useradd
 * --system}), so they never collide with the machine's people; each user carries a comment naming
 * its app, which {@link AppUsers} checks before it uses an existing user.
 */
public final class UserNames {

    /** The longest user name that Linux's {@code useradd} accepts. */
    public static final int MAX_LENGTH = 32;
    static final String PREFIX = "hop3-";
    private static final int HASH_DIGITS = 8;

    private UserNames() {
    }

    /** The user name of {@code app}. */
    public static String of(AppName app) {
        String whole = PREFIX + app.value();
        if (whole.length() < MAX_LENGTH) {
            return whole;
        }
        String kept = whole.substring(0, MAX_LENGTH - HASH_DIGITS - 1);
        return kept + "-" + hash(app.value());
    }

    /** The comment (GECOS field) of the user of {@code app}: how an existing user is recognised as this app's. */
    public static String comment(AppName app) {
        return "hop3 app " + app.value();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
