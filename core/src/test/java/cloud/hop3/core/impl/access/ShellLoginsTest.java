package cloud.hop3.core.impl.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.User;
import cloud.hop3.api.key.AuthorizedKey;

class ShellLoginsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final String K1 = "AAAAC3NzaC1lZDI1NTE5AAAAIOneOneOneOneOneOneOneOneOneOneOneOneOne1";
    private static final String K2 = "AAAAC3NzaC1lZDI1NTE5AAAAITwoTwoTwoTwoTwoTwoTwoTwoTwoTwoTwoTwoTwo2";

    @TempDir
    Path etc;

    @Test
    void handWrittenLinesStayAndUsersGetOneLineWithTheirKeysAndRoleGroup() throws Exception {
        Path file = etc.resolve("keys.properties");
        Files.writeString(file, "# the operator's\n_g_\\:admingroup = group,admin,ssh\noperator=AAAAop,_g_:admingroup\n\n");
        Map<String, AuthorizedKey> keys = Map.of(
                "a", new AuthorizedKey("a", "ssh-ed25519", "f", "ssh-ed25519 " + K1, NOW),
                "b", new AuthorizedKey("b", "ssh-ed25519", "f", "ssh-ed25519 " + K2, NOW));
        ShellLogins logins = new ShellLogins(file);
        List<User> users = List.of(
                new User("dee", false, List.of(Grant.of("deployer", List.of("shop")), Grant.of("viewer", List.of())), List.of("a", "b"), NOW),
                new User("off", true, List.of(Grant.of("admin", List.of())), List.of("a"), NOW),
                new User("nokey", false, List.of(Grant.of("viewer", List.of())), List.of(), NOW),
                new User("norole", false, List.of(), List.of("a"), NOW),
                new User("operator", false, List.of(Grant.of("admin", List.of())), List.of("b"), NOW));

        logins.write(users, name -> Optional.ofNullable(keys.get(name)));
        logins.write(users, name -> Optional.ofNullable(keys.get(name)));

        assertEquals("# the operator's\n_g_\\:admingroup = group,admin,ssh\noperator=AAAAop,_g_:admingroup\n"
                + ShellLogins.BEGIN + "\n"
                + "dee=" + K1 + "," + K2 + ",_g_:deployergroup\n"
                + ShellLogins.END + "\n", Files.readString(file), "written twice, the same; the operator's line wins");
    }
}
