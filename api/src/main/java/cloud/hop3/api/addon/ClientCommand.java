package cloud.hop3.api.addon;

import java.util.List;
import java.util.Map;

/**
 * How to open the server's own client on one add-on ({@code psql}, {@code redis-cli},
 * {@code mariadb}): the command line and the environment that carries the password, so that
 * the password never shows in a process list.
 *
 * @param argv the command line
 * @param env  variables to add to the environment (secret)
 */
public record ClientCommand(List<String> argv, Map<String, String> env) {

    public ClientCommand {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }
}
