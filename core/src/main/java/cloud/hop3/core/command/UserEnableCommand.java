package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;

@Command(scope = "user", name = "enable", description = "Enables a disabled user again.")
@Service
public class UserEnableCommand extends GuardedAction {

    @Argument(index = 0, name = "user", required = true, description = "The user's name, as user:list shows it.")
    private String name;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        access.setDisabled(name, false);
        System.out.println("User " + name + " enabled.");
        return null;
    }
}
