package cloud.hop3.core.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.key.AuthorizedKey;
import cloud.hop3.api.key.KeyService;

@Command(scope = "key", name = "add", description = "Allows an SSH public key to push apps with git.")
@Service
public class KeyAddCommand implements Action {

    @Reference
    private KeyService keys;

    @Argument(index = 0, name = "name", required = true, description = "A name for the key, such as alice-laptop.")
    private String name;

    @Argument(index = 1, name = "public key", required = true, multiValued = true,
            description = "The public key: the content of a .pub file, such as ssh-ed25519 AAAA... alice@laptop.")
    private List<String> key;

    @Override
    public Object execute() {
        AuthorizedKey added = keys.add(name, String.join(" ", key));
        System.out.println("Key " + added.name() + " (" + added.type() + " " + added.fingerprint() + ") may now push.");
        return null;
    }
}
