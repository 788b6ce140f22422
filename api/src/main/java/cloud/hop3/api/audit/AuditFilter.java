package cloud.hop3.api.audit;

import java.time.Instant;
import java.util.Optional;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.app.AppName;

/**
 * Which records {@link AuditService#list} returns: those after {@code cursor}, oldest first, that
 * match every filter given, at most {@code limit} of them.
 *
 * @param app    only records whose target is this app
 * @param user   only records of this user
 * @param since  only records from this time on
 * @param cursor only records with a sequence above this one (0 for the first page; the last
 *               sequence of a page for the next)
 * @param limit  at most this many records, 1 to {@value #MAX_LIMIT}
 */
public record AuditFilter(Optional<AppName> app, Optional<String> user, Optional<Instant> since, long cursor, int limit) {

    /** The most records one page holds. */
    public static final int MAX_LIMIT = 10_000;

    public AuditFilter {
        app = app == null ? Optional.empty() : app;
        user = user == null ? Optional.empty() : user;
        since = since == null ? Optional.empty() : since;
        user.ifPresent(u -> {
            if (!Actor.USER_NAME.matcher(u).matches()) {
                throw new IllegalArgumentException("Invalid user name '" + u + "': a lower-case letter, then up to 31"
                        + " letters, digits, '.', '_' or '-'");
            }
        });
        if (cursor < 0) {
            throw new IllegalArgumentException("A cursor is a record's sequence, 0 or more, not " + cursor);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("A page holds 1 to " + MAX_LIMIT + " records, not " + limit);
        }
    }

    /** Every record, the first {@code limit} of them. */
    public static AuditFilter all(int limit) {
        return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), 0, limit);
    }

    /** This filter for the page after the record with sequence {@code last}. */
    public AuditFilter after(long last) {
        return new AuditFilter(app, user, since, last, limit);
    }
}
