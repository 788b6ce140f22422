package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.key.AuthorizedKey;
import cloud.hop3.api.key.KeyService;

@Command(scope = "key", name = "list", description = "Lists the SSH keys allowed to push apps.")
@Service
public class KeyListCommand implements Action {

    @Reference
    private KeyService keys;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    public Object execute() {
        Table table = new Table("Name", "Type", "Fingerprint", "Added");
        table.empty("No keys yet: add one with key:add <name> <public key>.");
        for (AuthorizedKey k : keys.list()) {
            table.row(k.name(), k.type(), k.fingerprint(), AppListCommand.TIME.format(k.added()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
