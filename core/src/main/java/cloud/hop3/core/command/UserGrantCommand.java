package cloud.hop3.core.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "user", name = "grant", description = "Gives a user a role: admin, deployer on named apps, or viewer (on named apps or all).")
@Service
public class UserGrantCommand extends GuardedAction {

    @Argument(index = 0, name = "user", required = true, description = "The user's name, as user:list shows it.")
    private String name;

    @Argument(index = 1, name = "role", required = true, description = "admin, deployer or viewer.")
    private String role;

    @Argument(index = 2, name = "app", multiValued = true, description = "The apps it applies to (none: every app, for admin and viewer).")
    @Completion(AppNameCompleter.class)
    private List<String> apps;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        User user = access.grant(name, Grant.of(role, apps == null ? List.of() : apps));
        System.out.println("User " + user.name() + " is now " + user.describeGrants() + ".");
        return null;
    }
}
