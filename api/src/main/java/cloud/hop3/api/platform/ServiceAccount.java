package cloud.hop3.api.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * The system account a plugin's server runs as (a database server), so that its files are its
 * own and no app, and no other plugin's server, reads them.
 *
 * @param user      the user's (and its group's) name, {@code hop3_<name>}; empty when the server
 *                  runs as the platform's own user
 * @param uid       its user id; -1 for the platform's user
 * @param gid       its group id; -1 for the platform's user
 * @param runAs     the words that go before a command to run it as this account (util-linux
 *                  {@code setpriv} and its options); empty for the platform's user
 * @param describe  how status lines say it: "own user hop3_postgres", or why the platform's user
 */
public record ServiceAccount(String user, int uid, int gid, List<String> runAs, String describe) {

    public ServiceAccount {
        runAs = List.copyOf(runAs);
    }

    /** Whether the server runs as an account of its own. */
    public boolean isolated() {
        return uid >= 0;
    }

    /** The command line that runs {@code argv} as this account. */
    public List<String> wrap(List<String> argv) {
        List<String> all = new ArrayList<>(runAs);
        all.addAll(argv);
        return all;
    }
}
