package cloud.hop3.core.command;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "user", name = "revoke", description = "Takes a role back from a user, on the apps named or everywhere.")
@Service
public class UserRevokeCommand extends GuardedAction {

    @Argument(index = 0, name = "user", required = true, description = "The user's name, as user:list shows it.")
    private String name;

    @Argument(index = 1, name = "role", required = true, description = "admin, deployer or viewer.")
    private String role;

    @Argument(index = 2, name = "app", multiValued = true, description = "The apps to take it back on (none: the whole role).")
    @Completion(AppNameCompleter.class)
    private List<String> apps;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        Set<AppName> names = (apps == null ? List.<String>of() : apps).stream().map(AppName::of).collect(Collectors.toSet());
        User user = access.revoke(name, Role.of(role), names);
        System.out.println("User " + user.name() + " is now " + user.describeGrants() + ".");
        return null;
    }
}
