package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;

@Command(scope = "user", name = "add", description = "Adds a user, with no role and no key yet.")
@Service
public class UserAddCommand extends GuardedAction {

    @Argument(index = 0, name = "user", required = true, description = "The user's name: lower-case letters, digits, '.', '_', '-'.")
    private String name;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        User user = access.addUser(name);
        System.out.println("User " + user.name() + " added; give a role with user:grant " + user.name()
                + " <admin|deployer|viewer> [app...] and a key with key:add --user " + user.name() + " <name> <public key>.");
        return null;
    }
}
