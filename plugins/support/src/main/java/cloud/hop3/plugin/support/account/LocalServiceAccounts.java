package cloud.hop3.plugin.support.account;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.api.platform.ServiceAccounts;

/**
 * {@link ServiceAccounts} on this machine: system users {@code hop3_<name>} (the underscore keeps
 * them apart from the apps' {@code hop3-<app>}, as app names have no underscore) created with
 * {@link SystemUsers} and entered with {@link RunAs}; or the platform's own user, with the
 * reason, when {@code obstacle} is not empty. Core provides it as a service; plugin tests use it
 * directly.
 */
public final class LocalServiceAccounts implements ServiceAccounts {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,19}");
    private static final Path NO_HOME = Path.of("/nonexistent");

    private final SystemUsers users = new SystemUsers();
    private final Optional<String> obstacle;

    /** Accounts of their own where this machine allows it ({@link RunAs#obstacle()}). */
    public LocalServiceAccounts() {
        this(RunAs.obstacle());
    }

    /** Accounts of their own unless {@code obstacle} says why not. */
    public LocalServiceAccounts(Optional<String> obstacle) {
        this.obstacle = obstacle;
    }

    @Override
    public ServiceAccount account(String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A service account name is lower-case letters and digits, at most 20: '"
                    + name + "'");
        }
        if (obstacle.isPresent()) {
            return new ServiceAccount("", -1, -1, List.of(), "the platform's user, because " + obstacle.get());
        }
        String user = "hop3_" + name;
        String comment = "hop3 server " + name;
        Optional<SystemUsers.Account> found = users.find(user);
        if (found.isPresent() && !found.get().comment().equals(comment)) {
            throw new IOException("The machine has a user " + user + " that the platform did not create (comment '"
                    + found.get().comment() + "'); it is not taken over");
        }
        if (found.isEmpty()) {
            users.add(user, comment, NO_HOME);
            found = users.find(user);
        }
        SystemUsers.Account a = found.orElseThrow(() -> new IOException("the user " + user + " was not created"));
        return new ServiceAccount(a.name(), a.uid(), a.gid(), RunAs.wrap(a.uid(), a.gid(), List.of()), "own user " + a.name());
    }

    /** Removes the account of {@code name} (for tests that leave no user behind). */
    public void remove(String name) throws IOException {
        users.delete("hop3_" + name);
    }
}
