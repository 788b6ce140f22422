package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Token;

@Command(scope = "token", name = "list", description = "Lists your API tokens, or for an admin everyone's (never their secrets).")
@Service
public class TokenListCommand extends GuardedAction {

    @Option(name = "-u", aliases = "--user", description = "Only this user's tokens; another user's needs an admin.")
    private String user;

    @Argument(index = 0, name = "user", description = "Only this user's tokens, as --user does.")
    private String userArgument;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() {
        user = TokenListCommand.oneUser(user, userArgument);
        Optional<String> only;
        if (user != null) {
            access.checkTokensOf(user);
            only = Optional.of(user);
        } else {
            // an admin sees every token; anyone else their own
            only = may(Permission.ADMINISTER, Optional.empty()) ? Optional.empty() : Optional.of(owner(access, null));
        }
        Table table = new Table("Id", "User", "Created", "Expires", "Last used");
        table.empty("No tokens: create one with token:create.");
        for (Token t : access.tokens(only)) {
            table.row(t.id(), t.user(), AppListCommand.TIME.format(t.created()),
                    t.expires() == null ? "never" : AppListCommand.TIME.format(t.expires()),
                    t.lastUsed() == null ? "never" : AppListCommand.TIME.format(t.lastUsed()));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** The user named by --user or by the argument (the same one if both), or null. */
    static String oneUser(String option, String argument) {
        if (option != null && argument != null && !option.equals(argument)) {
            throw new IllegalArgumentException("Name one user: --user " + option + " and " + argument + " differ.");
        }
        return option != null ? option : argument;
    }

    /** The user named, or the session's own. */
    static String owner(AccessService access, String user) {
        if (user != null) {
            return user;
        }
        return access.currentActor().map(Actor::user).orElseThrow(() -> new AccessDeniedException(
                "No user is named for this work, so it is refused; log in with your key or token."));
    }
}
