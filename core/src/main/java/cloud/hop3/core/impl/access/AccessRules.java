package cloud.hop3.core.impl.access;

import java.util.Optional;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;

/**
 * The rules: what each role may do, on which app. Pure: it decides from a user record alone, so it
 * is tested as a table of role, permission and app.
 *
 * <ul>
 *   <li>{@code admin}: everything.</li>
 *   <li>{@code deployer} on named apps: every permission about apps but create and destroy, on
 *       those apps; reading every app's lists.</li>
 *   <li>{@code viewer}: reading, on the apps it names or on every app.</li>
 *   <li>A disabled user, and a user with no role, may do nothing.</li>
 * </ul>
 */
public final class AccessRules {

    private AccessRules() {
    }

    /**
     * Why the actor named {@code name} (the user record {@code user} decides for it, if any) may
     * not manage the API tokens of {@code owner}; empty when it may. A user manages their own
     * tokens, an admin everyone's.
     */
    public static Optional<String> tokenRefusal(String name, Optional<User> user, String owner) {
        if (user.isEmpty()) {
            return Optional.of("'" + name + "' is not a user of this platform; an admin can add it with user:add " + name + ".");
        }
        if (user.get().disabled() || !name.equals(owner)) {
            Optional<String> admin = refusal(user.get(), Permission.ADMINISTER, Optional.empty());
            if (admin.isPresent()) {
                return user.get().disabled() ? admin
                        : Optional.of("User '" + name + "' may manage their own tokens only; the tokens of '" + owner
                                + "' are theirs or an admin's to manage.");
            }
        }
        return Optional.empty();
    }

    /** Whether {@code user} may do {@code permission} on {@code app} (or the platform, when empty). */
    public static boolean allows(User user, Permission permission, Optional<AppName> app) {
        return refusal(user, permission, app).isEmpty();
    }

    /**
     * Why {@code user} may not do {@code permission} on {@code app}, as a message that says whom
     * to ask for what; empty when it may.
     */
    public static Optional<String> refusal(User user, Permission permission, Optional<AppName> app) {
        if (user.disabled()) {
            return Optional.of("User '" + user.name() + "' is disabled; an admin can enable it with user:enable "
                    + user.name() + ".");
        }
        if (user.has(Role.ADMIN)) {
            return Optional.empty();
        }
        if (!permission.aboutApps()) {
            return Optional.of(who(user) + " may not " + permission.verb() + ": only admins may.");
        }
        if (app.isEmpty()) {
            if (permission == Permission.READ && !user.grants().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(who(user) + " may not " + permission.verb() + " apps that are not named: only admins may.");
        }
        AppName name = app.get();
        if (permission == Permission.CREATE_DESTROY) {
            return Optional.of(who(user) + " may not " + permission.verb() + " app '" + name + "': only admins may"
                    + " (a deployer of '" + name + "' creates it with a first git push).");
        }
        for (Grant grant : user.grants()) {
            if (!grant.covers(name)) {
                continue;
            }
            if (grant.role() == Role.DEPLOYER || permission == Permission.READ) {
                return Optional.empty();
            }
        }
        String role = permission == Permission.READ ? "viewer" : "deployer";
        return Optional.of(who(user) + " may not " + permission.verb() + " app '" + name + "'; an admin can allow it with"
                + " user:grant " + user.name() + " " + role + " " + name + ".");
    }

    /** The user as a refusal names them: only refusals pay for the words. */
    private static String who(User user) {
        return "User '" + user.name() + "' (" + user.describeGrants() + ")";
    }
}
