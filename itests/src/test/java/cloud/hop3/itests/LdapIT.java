package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * Users from an LDAP directory, with the real OpenSSH client and a password (through sshpass),
 * against OpenLDAP's slapd from Debian's packages started by the test: a member of
 * {@code hop3-admins} creates an app, a member of {@code hop3-viewers} reads it and is refused
 * every change, a member of {@code hop3-deployers-shop} changes shop and no other app, a wrong
 * password is refused and recorded as a failed login, and a user in no mapped group gets no
 * shell at all. The trail names each of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapIT {

    private static Slapd ldap;
    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        ldap = new Slapd(platform.work.resolve("ldap"),
                Slapd.person("alice", "alice-pw") + Slapd.person("vera", "vera-pw") + Slapd.person("dora", "dora-pw")
                        + Slapd.person("bob", "bob-pw")
                        + Slapd.group("hop3-admins", "alice")
                        + Slapd.group("hop3-viewers", "vera")
                        + Slapd.group("hop3-deployers-shop", "dora")
                        // a group named like a Karaf role gives nothing unless mapped
                        + Slapd.group("admin", "bob")
                        + Slapd.group("staff", "bob", "alice"));
        Files.writeString(platform.directory().resolve("etc/cloud.hop3.ldap.cfg"), String.join("\n",
                "connection.url = " + ldap.url(),
                "user.base.dn = " + Slapd.PEOPLE,
                "role.base.dn = " + Slapd.GROUPS,
                ""));
        platform.hop3Ok("start");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (ldap != null) {
                ldap.close();
            }
        }
    }

    /** A shell command over OpenSSH as {@code user}, with a password only (no key). */
    private static Result shell(String user, String password, String command) throws Exception {
        return Command.run(platform.work, Map.of("SSHPASS", password), Distribution.TIMEOUT, "sshpass", "-e", "ssh", "-p",
                String.valueOf(platform.shellPort), "-o", "PubkeyAuthentication=no", "-o",
                "PreferredAuthentications=password,keyboard-interactive", "-o", "NumberOfPasswordPrompts=1",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10", user + "@127.0.0.1", command);
    }

    private static List<String[]> audit(String... filter) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("audit", "list", "--no-format"));
        args.addAll(List.of(filter));
        return platform.hop3Ok(args.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
    }

    @Test
    @Order(1)
    void anLdapAdminCreatesAnAppAndTheTrailNamesThem() throws Exception {
        Result create = shell("alice", "alice-pw", "app:create shop");
        assertEquals(0, create.exit(), create.toString());
        assertEquals(0, shell("alice", "alice-pw", "app:create bank").exit());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"));

        List<String[]> rows = audit("--app", "shop");
        assertFalse(rows.isEmpty(), "the creation is in the trail");
        assertEquals(List.of("alice", "shell", "app.create", "ok"), List.of(rows.get(0)[2], rows.get(0)[3], rows.get(0)[5],
                rows.get(0)[7]));
    }

    @Test
    @Order(2)
    void anLdapViewerListsAndIsRefusedEveryChange() throws Exception {
        Result list = shell("vera", "vera-pw", "app:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.output().contains("shop") && list.output().contains("bank"), list.toString());

        // Karaf's command ACLs, the outer wall, refuse a viewer these commands before Hop3 is asked
        for (String other : List.of("app:config-set shop GREETING=hi", "app:create other", "app:destroy --force bank",
                "user:list")) {
            Result r = shell("vera", "vera-pw", other);
            assertNotEquals(0, r.exit(), "a viewer ran " + other + ": " + r);
        }
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("GREETING"));
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains("other"));
    }

    @Test
    @Order(3)
    void anLdapDeployerChangesItsAppAndNoOther() throws Exception {
        Result own = shell("dora", "dora-pw", "app:config-set shop GREETING=hi");
        assertEquals(0, own.exit(), own.toString());
        Result other = shell("dora", "dora-pw", "app:config-set bank GREETING=hi");
        assertNotEquals(0, other.exit(), other.toString());
        assertTrue(other.output().contains("User 'dora' (deployer on shop) may not change the config of app 'bank'"),
                other.toString());
        assertTrue(platform.hop3Ok("app", "config", "shop").contains("GREETING"));
        assertFalse(platform.hop3Ok("app", "config", "bank").contains("GREETING"));
        List<String[]> set = audit("--app", "shop", "--user", "dora");
        assertEquals("config.set", set.get(set.size() - 1)[5]);
    }

    @Test
    @Order(4)
    void aWrongPasswordIsRefusedAndRecordedAsALoginFailure() throws Exception {
        Result wrong = shell("alice", "not-her-password", "app:destroy --force shop");
        assertNotEquals(0, wrong.exit(), wrong.toString());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"), "shop is still there");
        Hop3TestSupport.await("the failed login in the trail", Duration.ofSeconds(30), () -> {
            try {
                return audit("--user", "alice").stream().anyMatch(r -> r[5].equals("shell.login"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        String[] login = audit("--user", "alice").stream().filter(r -> r[5].equals("shell.login")).findFirst().orElseThrow();
        assertEquals(List.of("alice", "shell", "alice", "failed: login refused"), List.of(login[2], login[3], login[6], login[7]));
    }

    @Test
    @Order(5)
    void aUserInNoMappedGroupGetsNoRights() throws Exception {
        Result r = shell("bob", "bob-pw", "app:list --no-format");
        assertNotEquals(0, r.exit(), "bob is in 'admin' and 'staff', neither mapped to a Hop3 role: " + r);
        assertFalse(r.output().contains("shop"), r.toString());
        Result destroy = shell("bob", "bob-pw", "app:destroy --force shop");
        assertNotEquals(0, destroy.exit(), destroy.toString());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"));
        Hop3TestSupport.await("bob's refused login in the trail", Duration.ofSeconds(30), () -> {
            try {
                return audit("--user", "bob").stream().anyMatch(r2 -> r2[5].equals("shell.login") && r2[7].startsWith("failed"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertTrue(audit("--user", "bob").stream().noneMatch(r2 -> r2[7].equals("ok")), "bob changed nothing");
    }
}
