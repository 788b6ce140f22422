package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.addon.AddonCatalog;
import cloud.hop3.core.impl.addon.PlatformAddons;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;

/** What the addon:* commands print, on the real add-on service with a small plugin. */
class AddonCommandsTest {

    private final AllowEverything access = new AllowEverything();

    /** A plugin whose password holds what a shell would run if it were not quoted. */
    private static final class QuotingDatabase implements Database {
        @Override
        public String type() {
            return "postgres";
        }

        @Override
        public String describe() {
            return "embedded PostgreSQL 16.4";
        }

        @Override
        public AddonCredentials create(AddonName name, Map<String, String> options) {
            return new AddonCredentials(Map.of("user", name.identifier(), "password", "it's $(touch ran)"));
        }

        @Override
        public void destroy(AddonName name, AddonCredentials credentials) {
        }

        @Override
        public AddonCredentials rotate(AddonName name, AddonCredentials current) {
            return current;
        }

        @Override
        public void retire(AddonName name, AddonCredentials old, AddonCredentials current) {
        }

        @Override
        public Map<String, String> environment(AddonCredentials credentials, String prefix) {
            return Map.of(prefix + "_URL", "postgres://" + credentials.get("user") + "@127.0.0.1:5433/db");
        }

        @Override
        public String defaultPrefix() {
            return "DATABASE";
        }

        @Override
        public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
            return new DatabaseStatus("16.4", "embedded, 127.0.0.1:5433", true, "7 MB");
        }

        @Override
        public ClientCommand client(AddonCredentials c) {
            return new ClientCommand(List.of("psql", "-h", "127.0.0.1", "-p", "5433", "-U", c.get("user"), "shop db"),
                    Map.of("PGPASSWORD", c.get("password")));
        }

        @Override
        public void dump(AddonName name, AddonCredentials credentials, java.io.OutputStream out) {
        }

        @Override
        public void restore(AddonName name, AddonCredentials credentials, java.io.InputStream in) {
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;
    private PlatformAddons addons;

    @TempDir
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        SecretBox box = new SecretBox(home, Clock.systemUTC());
        AppCatalog apps = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC(), box);
        apps.create(AppName.of("shop"));
        addons = new PlatformAddons(new AddonCatalog(home, box), apps, new DeployPipeline(apps, new ReleaseRunner()),
                Clock.systemUTC());
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private String printed() {
        String text = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return text;
    }

    @Test
    void typesSaysWhenNoPluginIsInstalledThenListsThem() throws Exception {
        new AddonTypesCommand(addons).checkedBy(access).execute();
        assertTrue(printed().contains("No database plugin is installed"));

        addons.addDatabase(new QuotingDatabase(), Map.of("hop3.database", "postgres"));
        new AddonTypesCommand(addons).checkedBy(access).execute();
        String text = printed();
        assertTrue(text.contains("postgres") && text.contains("embedded PostgreSQL 16.4"), text);
    }

    @Test
    void createListInfoAttachAndAConfirmedDestroy() throws Exception {
        addons.addDatabase(new QuotingDatabase(), Map.of("hop3.database", "postgres"));
        new AddonCreateCommand(addons, "postgres", "shop-db", null, List.of()).checkedBy(access).execute();
        assertEquals("Add-on shop-db (postgres) created; attach it with addon:attach shop-db <app>.\n", printed());
        assertThrows(IllegalArgumentException.class,
                () -> new AddonCreateCommand(addons, "postgres", "x", null, List.of("novalue")).checkedBy(access).execute());

        new AddonAttachCommand(addons, "shop-db", "shop", null).checkedBy(access).execute();
        assertTrue(printed().endsWith("Add-on shop-db attached to shop as DATABASE (DATABASE_URL).\n"));
        new AddonInfoCommand(addons, "shop-db").checkedBy(access).execute();
        String info = printed();
        assertTrue(info.contains("Server:      embedded, 127.0.0.1:5433, version 16.4") && info.contains("Status:      up: 7 MB")
                && info.contains("Attached to: shop as DATABASE"), info);
        new AddonListCommand(addons).checkedBy(access).execute();
        String list = printed();
        assertTrue(list.contains("shop-db") && list.contains("shop as DATABASE"), list);

        IllegalArgumentException unconfirmed = assertThrows(IllegalArgumentException.class,
                () -> new AddonDestroyCommand(addons, "shop-db", null).checkedBy(access).execute());
        assertTrue(unconfirmed.getMessage().endsWith("To go on, run: addon:destroy --confirm shop-db shop-db"),
                unconfirmed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AddonDestroyCommand(addons, "shop-db", "shop").checkedBy(access).execute());
        assertThrows(AddonException.class, () -> new AddonDestroyCommand(addons, "shop-db", "shop-db").checkedBy(access).execute(),
                "attached: refused");
        new AddonDetachCommand(addons, "shop-db", "shop").checkedBy(access).execute();
        printed();
        new AddonDestroyCommand(addons, "shop-db", "shop-db").checkedBy(access).execute();
        assertEquals("Add-on shop-db destroyed, with its data.\n", printed());
        // attaching and detaching ask about the app; what has no app asks about the platform
        assertEquals(List.of("ADDONS -", "ADDONS shop", "READ -", "READ -", "ADDONS -", "ADDONS -", "ADDONS -",
                "ADDONS shop", "ADDONS -"), access.asked.subList(1, access.asked.size()));
    }

    @Test
    void connectPrintsACommandThatAShellRunsAsItIs() throws Exception {
        addons.addDatabase(new QuotingDatabase(), Map.of("hop3.database", "postgres"));
        addons.create("postgres", AddonName.of("shop-db"), Map.of());

        new AddonConnectCommand(addons, "shop-db").checkedBy(access).execute();
        String line = printed().strip();
        assertEquals("PGPASSWORD='it'\\''s $(touch ran)' psql -h 127.0.0.1 -p 5433 -U shop_db 'shop db'", line);

        // the real shell gives each word back as it is, and runs nothing a value holds
        Path script = home.resolve("print.sh");
        Files.writeString(script, "printf '%s|' \"$PGPASSWORD\" \"$@\"\n");
        String command = line.replaceFirst(" psql ", " sh " + script + " psql ");
        Process sh = new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile()).start();
        assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
        assertEquals("it's $(touch ran)|psql|-h|127.0.0.1|-p|5433|-U|shop_db|shop db|",
                new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(Files.notExists(home.resolve("ran")));
    }

    /** Every addon command has its line in the ACL of the addon scope, so that a viewer cannot run it. */
    @Test
    void everyAddonCommandHasAnAclLine() throws Exception {
        String features = Files.readString(Path.of("..", "features", "src", "main", "resources", "features.xml"));
        Matcher acl = Pattern.compile("<config name=\"org.apache.karaf.command.acl.addon\">(.*?)</config>", Pattern.DOTALL)
                .matcher(features);
        assertTrue(acl.find(), "features.xml has the ACL of the addon scope");
        List<Class<?>> commands = List.of(AddonTypesCommand.class, AddonCreateCommand.class, AddonListCommand.class,
                AddonInfoCommand.class, AddonAttachCommand.class, AddonDetachCommand.class, AddonDestroyCommand.class,
                AddonCredentialsRotateCommand.class, AddonConnectCommand.class, AddonUpgradeCommand.class);
        try (var files = Files.list(Path.of("src", "main", "java", "cloud", "hop3", "core", "command"))) {
            assertEquals(commands.size(), files.filter(f -> f.getFileName().toString().matches("Addon.*Command\\.java")).count(),
                    "every addon command is in this list");
        }
        for (Class<?> c : commands) {
            String name = c.getAnnotation(org.apache.karaf.shell.api.action.Command.class).name();
            assertTrue(Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + " = ").matcher(acl.group(1)).find(),
                    "no ACL line for addon:" + name);
        }
        assertTrue(acl.group(1).contains("destroy = admin\n"));
        assertTrue(acl.group(1).contains("types = admin, deployer, viewer"));
    }
}
