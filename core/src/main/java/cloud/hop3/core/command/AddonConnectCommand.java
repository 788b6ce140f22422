package cloud.hop3.core.command;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.addon.ClientCommand;

/**
 * Prints the command line that opens the server's own client on an add-on, with the environment
 * that carries its password, as one line for a POSIX shell: values are single-quoted as
 * {@code app:config --shell} quotes them, so that the line runs exactly that command.
 */
@Command(scope = "addon", name = "connect", description = "Prints the command that opens the server's own client (psql, redis-cli, mariadb) on an add-on.")
@Service
public class AddonConnectCommand extends AddonAction {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+,=-]+");

    /** For Karaf. */
    public AddonConnectCommand() {
    }

    AddonConnectCommand(AddonService addons, String name) {
        super(addons, name);
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Object run() throws Exception {
        System.out.println(line(addons.client(addon())));
        return null;
    }

    /** {@code PGPASSWORD='...' psql -h 127.0.0.1 ...}. */
    static String line(ClientCommand client) {
        List<String> words = new ArrayList<>();
        new TreeMap<>(client.env()).forEach((k, v) -> words.add(k + "=" + AppConfigCommand.shellQuoted(v)));
        for (String arg : client.argv()) {
            words.add(PLAIN.matcher(arg).matches() ? arg : AppConfigCommand.shellQuoted(arg));
        }
        return String.join(" ", words);
    }
}
