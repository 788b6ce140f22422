package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;

@Command(scope = "user", name = "disable", description = "Disables a user: refused at once at every door, keys and tokens included, until enabled.")
@Service
public class UserDisableCommand extends GuardedAction {

    @Argument(index = 0, name = "user", required = true, description = "The user's name, as user:list shows it.")
    private String name;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        access.setDisabled(name, true);
        System.out.println("User " + name + " disabled.");
        return null;
    }
}
