package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;

/**
 * A Hop3 shell command: it says what it is about to do ({@link #permission()}, on {@link #app()}),
 * and this one place asks the authorization service for the session's user before it runs.
 * Karaf's command ACLs ({@code org.apache.karaf.command.acl.<scope>}) stay the outer wall: they
 * refuse a role a whole command; this refuses a user an app.
 */
abstract class GuardedAction implements Action {

    @Reference
    AccessService access;

    /** What the command does. */
    abstract Permission permission();

    /** The app it does it on; empty for the platform (or every app's lists). Validates the name. */
    Optional<AppName> app() throws Exception {
        return Optional.empty();
    }

    /** The command's work, once allowed. */
    abstract Object run() throws Exception;

    @Override
    public final Object execute() throws Exception {
        Optional<AppName> app = app();
        if (access == null) {
            throw new IllegalStateException("The authorization service is not available; the command is refused.");
        }
        access.check(permission(), app);
        return run();
    }

    /**
     * Whether the session's user may do {@code permission} on {@code app} (or the platform, when
     * empty): lists show a user only what they may read.
     */
    boolean may(Permission permission, Optional<AppName> app) {
        return access.currentActor().map(a -> access.allows(a, permission, app)).orElse(false);
    }

    /** Whether the session's user may read {@code app}. */
    boolean mayRead(AppName app) {
        return may(Permission.READ, Optional.of(app));
    }

    /**
     * The release number a user typed ({@code v3} or {@code 3}); {@code 0} when none was given.
     *
     * @throws IllegalArgumentException when the text is not a release number
     */
    static int releaseNumber(String text) {
        if (text == null) {
            return 0;
        }
        String digits = text.startsWith("v") ? text.substring(1) : text;
        if (!digits.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' is not a release number, such as v3 or 3.");
        }
        return Integer.parseInt(digits);
    }

    /** For tests: the authorization service to ask. */
    GuardedAction checkedBy(AccessService service) {
        this.access = service;
        return this;
    }
}
