package cloud.hop3.core.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.key.AuthorizedKey;

@Command(scope = "key", name = "add", description = "Gives a user an SSH public key: it pushes apps with git and logs in to the shell as that user.")
@Service
public class KeyAddCommand extends GuardedAction {

    @Option(name = "-u", aliases = "--user", description = "The user the key belongs to: it pushes and logs in as"
            + " that user. Default: admin.")
    private String user;

    @Argument(index = 0, name = "name", required = true, description = "A name for the key, such as alice-laptop.")
    private String name;

    @Argument(index = 1, name = "public key", required = true, multiValued = true,
            description = "The public key: the content of a .pub file, such as ssh-ed25519 AAAA... alice@laptop.")
    private List<String> key;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        String owner = user == null ? "admin" : user;
        AuthorizedKey added = access.addKey(owner, name, String.join(" ", key));
        System.out.println("Key " + added.name() + " (" + added.type() + " " + added.fingerprint() + ") of user " + owner
                + " may now push and log in, with the user's roles.");
        return null;
    }
}
