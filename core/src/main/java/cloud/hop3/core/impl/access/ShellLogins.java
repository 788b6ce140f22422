package cloud.hop3.core.impl.access;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.key.AuthorizedKey;

/**
 * The shell logins of users, kept in Karaf's {@code etc/keys.properties} between two marker
 * lines: one line per enabled user with keys and a role, {@code name=<key>,<key>,...,_g_:<role>group},
 * so a user's SSH keys open the shell with their role's Karaf group. Lines outside the markers
 * are the operator's (and {@code bin/hop3}'s) and kept as they are; a user whose name such a line
 * defines already is left to that line. The file is replaced atomically, owner-only.
 */
final class ShellLogins {

    static final String BEGIN = "# --- hop3 users: written by hop3 from user:* and key:add --user; edits here are replaced ---";
    static final String END = "# --- end of hop3 users ---";

    private final Path file;

    ShellLogins(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Writes the managed lines for {@code users}, whose keys {@code keys} finds by name. */
    synchronized void write(List<User> users, Function<String, Optional<AuthorizedKey>> keys) throws IOException {
        List<String> outside = new ArrayList<>();
        try {
            boolean inside = false;
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (line.equals(BEGIN)) {
                    inside = true;
                } else if (line.equals(END)) {
                    inside = false;
                } else if (!inside) {
                    outside.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            // a new file
        }
        Properties byHand = new Properties();
        byHand.load(new StringReader(String.join("\n", outside)));
        Set<String> taken = byHand.stringPropertyNames();
        List<String> lines = new ArrayList<>(outside);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        lines.add(BEGIN);
        for (User user : users) {
            Optional<String> line = line(user, keys);
            if (line.isPresent() && !taken.contains(user.name())) {
                lines.add(line.get());
            }
        }
        lines.add(END);
        replace(String.join("\n", lines) + "\n");
    }

    /** The login line of a user, if the user may log in. */
    static Optional<String> line(User user, Function<String, Optional<AuthorizedKey>> keys) {
        Optional<Role> role = user.has(Role.ADMIN) ? Optional.of(Role.ADMIN)
                : user.has(Role.DEPLOYER) ? Optional.of(Role.DEPLOYER)
                : user.has(Role.VIEWER) ? Optional.of(Role.VIEWER) : Optional.empty();
        if (user.disabled() || role.isEmpty()) {
            return Optional.empty();
        }
        List<String> blobs = user.keys().stream().map(keys).flatMap(Optional::stream)
                .map(k -> k.publicKey().split(" ")[1]).toList();
        if (blobs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(user.name() + "=" + String.join(",", blobs) + ",_g_:" + role.get().word() + "group");
    }

    private void replace(String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.writeString(temp, content, StandardCharsets.ISO_8859_1);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions here
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
