package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Users and roles at every door, with the real git and OpenSSH clients: a deployer pushes and
 * changes its own app only, a viewer reads and changes nothing, a disabled user is refused at
 * once, and the admin key of the installation keeps working throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SHOP_APPS)
class AccessIT {

    private static Distribution platform;
    private static Path dee;
    private static Path vic;
    private static AppSource bank;
    private static AppSource shop;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        platform.hop3Ok("start");
        dee = key("dee");
        vic = key("vic");
        platform.hop3Ok("user", "add", "dee");
        platform.hop3Ok("user", "grant", "dee", "deployer", "shop");
        platform.hop3Ok("key", "add", "--user", "dee", "dee-laptop", Files.readString(Path.of(dee + ".pub")).strip());
        platform.hop3Ok("user", "add", "vic");
        platform.hop3Ok("user", "grant", "vic", "viewer");
        platform.hop3Ok("key", "add", "--user", "vic", "vic-laptop", Files.readString(Path.of(vic + ".pub")).strip());
        // the admin's own app, pushed with the installation's admin key
        bank = site("bank");
        shop = site("shop").commit("the shop");
        Result push = bank.commitAndPush("the bank");
        assertEquals(0, push.exit(), "the admin key pushes as before: " + push);
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    private static Path key(String name) throws Exception {
        Path key = platform.work.resolve(name);
        Distribution.ok(Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                "-f", key.toString()));
        return key;
    }

    private static AppSource site(String app) throws Exception {
        AppSource source = new AppSource(platform, app);
        source.write("index.html", "<h1>" + app + "</h1>\n");
        return source;
    }

    private static String gitSsh(Path key) {
        return "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    @Test
    @Order(1)
    void aDeployersKeyPushesItsAppAndIsRefusedAnotherWithAClearMessage() throws Exception {
        Result own = shop.pushTo("shop", gitSsh(dee));
        assertEquals(0, own.exit(), "dee pushes (and so creates) shop: " + own);

        Result other = shop.pushTo("bank", gitSsh(dee));
        assertNotEquals(0, other.exit(), other.toString());
        assertTrue(other.output().contains("User 'dee' (deployer on shop) may not push to app 'bank'; an admin can allow it"
                + " with user:grant dee deployer bank."), other.toString());
        Result create = shop.pushTo("newapp", gitSsh(dee));
        assertNotEquals(0, create.exit(), "a deployer creates no app it was not granted: " + create);
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains("newapp"));
        assertTrue(Http.get(platform.httpPort, "bank.localhost", "/").body().contains("<h1>bank</h1>"), "bank untouched");
    }

    @Test
    @Order(2)
    void aDeployerChangesItsAppInTheShellAndNoOther() throws Exception {
        Result own = platform.shell(dee, "dee", "app:config-set shop GREETING=hi");
        assertEquals(0, own.exit(), own.toString());

        Result other = platform.shell(dee, "dee", "app:config-set bank GREETING=pwned");
        assertNotEquals(0, other.exit(), other.toString());
        assertTrue(other.output().contains("may not change the config of app 'bank'"), other.toString());
        assertFalse(platform.hop3Ok("app", "config", "bank").contains("pwned"));

        Result destroy = platform.shell(dee, "dee", "app:destroy --force bank");
        assertNotEquals(0, destroy.exit(), destroy.toString());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("bank"), "bank is still there");
        Result users = platform.shell(dee, "dee", "user:list");
        assertNotEquals(0, users.exit(), "a deployer does not manage users: " + users);
    }

    @Test
    @Order(3)
    void aViewerReadsAndIsRefusedEveryChange() throws Exception {
        Result list = platform.shell(vic, "vic", "app:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.output().contains("bank") && list.output().contains("shop"), list.toString());
        Result info = platform.shell(vic, "vic", "app:info shop");
        assertEquals(0, info.exit(), info.toString());
        assertTrue(info.output().contains("App:       shop"), info.toString());

        for (String change : List.of("app:config-set shop A=b", "app:restart shop", "app:scale shop web=2",
                "app:rollback shop 1", "domain:add shop shop.example.org", "backup:create shop", "user:add eve")) {
            Result r = platform.shell(vic, "vic", change);
            assertNotEquals(0, r.exit(), "a viewer ran " + change + ": " + r);
        }
        Result push = shop.commit("by a viewer").pushTo("shop", gitSsh(vic));
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("User 'vic' (viewer on every app) may not push to app 'shop'"), push.toString());
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("A=b"));
    }

    @Test
    @Order(4)
    void aDisabledUserIsRefusedAtOnceAtBothDoorsAndTheAdminKeepsWorking() throws Exception {
        platform.hop3Ok("user", "disable", "dee");

        Result push = shop.commit("after disable").pushTo("shop", gitSsh(dee));
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("User 'dee' is disabled; an admin can enable it with user:enable dee."), push.toString());
        Result login = platform.shell(dee, "dee", "app:list");
        assertNotEquals(0, login.exit(), "a disabled user no longer logs in to the shell: " + login);

        bank.write("index.html", "<h1>bank v2</h1>\n");
        Result admin = bank.commitAndPush("v2");
        assertEquals(0, admin.exit(), admin.toString());
        assertTrue(platform.hop3Ok("user", "list", "--no-format").lines().anyMatch(l -> l.startsWith("dee\tdisabled\t")));

        platform.hop3Ok("user", "enable", "dee");
        assertEquals(0, platform.shell(dee, "dee", "app:list").exit(), "enabled again, dee logs in");
    }

    /** The rows of a --no-format list printed over ssh (without the client's own closing line). */
    private static List<String[]> rows(Result r) {
        return r.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Connection to ")).map(l -> l.split("\t", -1)).toList();
    }

    @Test
    @Order(5)
    void aDeployersListsNameOnlyTheAppsTheyMayRead() throws Exception {
        Result apps = platform.shell(dee, "dee", "app:list --no-format");
        assertEquals(0, apps.exit(), apps.toString());
        assertEquals(List.of("shop"), rows(apps).stream().map(r -> r[0]).toList());
        Result domains = platform.shell(dee, "dee", "domain:list --no-format");
        assertEquals(0, domains.exit(), domains.toString());
        assertTrue(domains.output().contains("shop") && !domains.output().contains("bank"), domains.toString());
        Result audit = platform.shell(dee, "dee", "audit:list --no-format");
        assertEquals(0, audit.exit(), audit.toString());
        List<String> targets = rows(audit).stream().map(r -> r[6]).distinct().toList();
        assertEquals(List.of("shop"), targets, audit.toString());
        assertTrue(platform.hop3Ok("audit", "list", "--no-format").contains("\tbank\t"), "the admin sees bank's records");

        Result viewer = platform.shell(vic, "vic", "app:list --no-format");
        assertTrue(viewer.output().contains("bank") && viewer.output().contains("shop"), "a viewer of every app: " + viewer);
    }

    @Test
    @Order(6)
    void aUserManagesTheirOwnTokensAndNoOneElses() throws Exception {
        String vics = platform.hop3Ok("token", "create", "--user", "vic");
        String vicsId = vics.replaceAll("(?s).*Token (tok-[0-9a-f]+) of user vic.*", "$1");
        assertTrue(vicsId.startsWith("tok-"), vics);

        Result own = platform.shell(dee, "dee", "token:create --expires 7");
        assertEquals(0, own.exit(), own.toString());
        assertTrue(own.output().contains(" of user dee, valid until "), own.toString());
        String deesId = own.output().replaceAll("(?s).*Token (tok-[0-9a-f]+) of user dee.*", "$1");
        Result list = platform.shell(dee, "dee", "token:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertEquals(List.of(deesId), rows(list).stream().map(r -> r[0]).toList());

        for (String others : List.of("token:create --user vic", "token:list --user vic", "token:revoke " + vicsId)) {
            Result r = platform.shell(dee, "dee", others);
            assertNotEquals(0, r.exit(), others + ": " + r);
            assertTrue(r.output().contains("User 'dee' may manage their own tokens only"), others + ": " + r);
        }
        assertTrue(platform.hop3Ok("token", "list", "--no-format").contains(vicsId), "vic's token is still there");

        Result revoke = platform.shell(dee, "dee", "token:revoke " + deesId);
        assertEquals(0, revoke.exit(), revoke.toString());
        String all = platform.hop3Ok("token", "list", "--no-format");
        assertFalse(all.contains(deesId), all);
        platform.hop3Ok("token", "revoke", vicsId);
        assertFalse(platform.hop3Ok("token", "list", "--no-format").contains(vicsId), "an admin revokes anyone's");
    }
}
