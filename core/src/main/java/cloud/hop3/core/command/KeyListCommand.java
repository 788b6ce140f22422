package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;
import cloud.hop3.api.key.AuthorizedKey;
import cloud.hop3.api.key.KeyService;

@Command(scope = "key", name = "list", description = "Lists the SSH keys allowed to push apps.")
@Service
public class KeyListCommand extends GuardedAction {

    @Reference
    private KeyService keys;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("Name", "Type", "Fingerprint", "Added", "User");
        table.empty("No keys yet: add one with key:add <name> <public key>.");
        for (AuthorizedKey k : keys.list()) {
            table.row(k.name(), k.type(), k.fingerprint(), AppListCommand.TIME.format(k.added()),
                    access.ownerOfKey(k.name()).map(User::name).orElse("-"));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
