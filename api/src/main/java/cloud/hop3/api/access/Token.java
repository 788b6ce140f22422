package cloud.hop3.api.access;

import java.time.Instant;

/**
 * An API token of a user, as listed: never its secret, which is shown once, when it is created,
 * and kept only as a hash.
 *
 * @param id       the token's public id, to list and revoke it
 * @param user     whose token it is
 * @param created  when it was created
 * @param expires  when it stops working, or {@code null} for never
 * @param lastUsed when it was last accepted, or {@code null} when never
 */
public record Token(String id, String user, Instant created, Instant expires, Instant lastUsed) {

    public Token {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A token needs an id.");
        }
        User.checkName(user);
        if (created == null) {
            throw new IllegalArgumentException("A token needs the time it was created.");
        }
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expires != null && !now.isBefore(expires);
    }
}
