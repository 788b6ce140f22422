package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;

@Command(scope = "user", name = "list", description = "Lists the users, their roles and their keys.")
@Service
public class UserListCommand extends GuardedAction {

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() {
        Table table = new Table("Name", "Status", "Roles", "Keys", "Added");
        table.empty("No users: add one with user:add <name>.");
        for (User u : access.users()) {
            table.row(u.name(), u.disabled() ? "disabled" : "enabled", u.describeGrants(),
                    u.keys().isEmpty() ? "-" : String.join(", ", u.keys()), AppListCommand.TIME.format(u.created()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
