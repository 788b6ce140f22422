package cloud.hop3.addon.mariadb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cloud.hop3.api.platform.ServiceAccount;

/**
 * How the MariaDB tools reach a server as one user: the words in front of the tool (to run it as
 * the server's own account, whose Unix socket login needs no password), the connection options,
 * and the environment that carries the password ({@code MYSQL_PWD}), so that no password ever
 * shows in a process list.
 *
 * @param runAs   the words before the program; empty to run it as the platform's user
 * @param options the connection options after {@code --no-defaults}
 * @param env     variables the tool needs (secret)
 */
record MariaDbConnection(List<String> runAs, List<String> options, Map<String, String> env) {

    MariaDbConnection {
        runAs = List.copyOf(runAs);
        options = List.copyOf(options);
        env = Map.copyOf(env);
    }

    /** As {@code user} over the server's socket, run as {@code account} (authenticated by its uid). */
    static MariaDbConnection socket(ServiceAccount account, Path socket, String user) {
        return new MariaDbConnection(account.runAs(), List.of("--socket=" + socket, "--user=" + user), Map.of());
    }

    /** As {@code user} with {@code password} over TCP. */
    static MariaDbConnection tcp(String host, int port, String user, String password) {
        return new MariaDbConnection(List.of(), List.of("--protocol=TCP", "--host=" + host, "--port=" + port,
                "--user=" + user), Map.of("MYSQL_PWD", password));
    }

    /**
     * The command line of {@code program} on this connection; {@code --no-defaults} keeps the
     * machine's own {@code my.cnf} (the system server's socket and port) out of it.
     */
    List<String> command(Path program, List<String> arguments) {
        List<String> command = new ArrayList<>(runAs);
        command.add(program.toString());
        command.add("--no-defaults");
        command.addAll(options);
        command.addAll(arguments);
        return command;
    }
}
