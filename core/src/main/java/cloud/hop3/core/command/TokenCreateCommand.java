package cloud.hop3.core.command;

import java.time.Duration;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;

@Command(scope = "token", name = "create", description = "Creates an API token for you (or, for an admin, another user) and prints its secret, once.")
@Service
public class TokenCreateCommand extends GuardedAction {

    @Option(name = "-u", aliases = "--user", description = "The user the token acts as (default: you); another user's needs an admin.")
    private String user;

    @Argument(index = 0, name = "user", description = "The user the token acts as, as --user does (kept for scripts written before --user).")
    private String userArgument;

    @Option(name = "-e", aliases = "--expires", description = "Days until the token stops working (default: never).")
    private Integer days;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() {
        user = TokenListCommand.oneUser(user, userArgument);
        if (days != null && (days < 1 || days > 3650)) {
            throw new IllegalArgumentException("--expires takes a number of days from 1 to 3650.");
        }
        String owner = TokenListCommand.owner(access, user);
        access.checkTokensOf(owner);
        NewToken token = access.createToken(owner, Optional.ofNullable(days).map(Duration::ofDays));
        System.out.println("Token " + token.token().id() + " of user " + owner
                + (token.token().expires() == null ? ", without expiry" : ", valid until " + AppListCommand.TIME.format(token.token().expires())) + ":");
        System.out.println(token.secret());
        System.out.println("Keep it now: it is not stored and cannot be shown again.");
        return null;
    }
}
