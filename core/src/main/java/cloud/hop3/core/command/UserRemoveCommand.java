package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import cloud.hop3.api.access.Permission;

@Command(scope = "user", name = "remove", description = "Removes a user, with the user's SSH keys and tokens.")
@Service
public class UserRemoveCommand extends GuardedAction {

    @Reference
    private Session session;

    @Argument(index = 0, name = "user", required = true, description = "The user's name, as user:list shows it.")
    private String name;

    @Option(name = "-f", aliases = "--force", description = "Removes without asking.")
    private boolean force;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        if (!Confirmation.confirm(session, force, "Remove user " + name + " with their keys and tokens?")) {
            System.out.println("Nothing was removed.");
            return null;
        }
        access.removeUser(name);
        System.out.println("User " + name + " removed, with their keys and tokens.");
        return null;
    }
}
