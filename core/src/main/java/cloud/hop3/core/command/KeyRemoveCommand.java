package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.key.KeyService;

@Command(scope = "key", name = "remove", description = "Stops an SSH key from pushing apps.")
@Service
public class KeyRemoveCommand extends GuardedAction {

    @Reference
    private KeyService keys;

    @Reference
    private Session session;

    @Argument(index = 0, name = "name", required = true, description = "The key's name, as key:list shows it.")
    private String name;

    @Option(name = "-f", aliases = "--force", description = "Removes without asking.")
    private boolean force;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        if (!Confirmation.confirm(session, force, "Remove key " + name + "?")) {
            System.out.println("Nothing was removed.");
            return null;
        }
        keys.remove(name);
        System.out.println("Key " + name + " removed.");
        return null;
    }
}
