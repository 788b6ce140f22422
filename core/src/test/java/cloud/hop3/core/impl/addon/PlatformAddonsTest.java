package cloud.hop3.core.impl.addon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.secret.KeyRotation;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.deploy.DeclaredAddons;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.manifest.AddonDeclaration;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.service.SecretRotation;

/**
 * The add-on service with the real catalogs and deploy pipeline on a temporary state directory,
 * and an in-memory database plugin. An app without a release takes config vars at once; an app
 * with a release and no process driver installed is one whose new release fails.
 */
class PlatformAddonsTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final AppName BLOG = AppName.of("blog");
    private static final AddonName DB = AddonName.of("shop-db");
    private static final BuildLog QUIET = new BuildLog() {
        @Override
        public void step(String text) {
        }

        @Override
        public void info(String text) {
        }

        @Override
        public void warn(String text) {
        }
    };

    @TempDir
    Path home;

    private final Clock clock = Clock.systemUTC();
    private final InMemoryDatabase postgres = new InMemoryDatabase("postgres", "DATABASE");
    private SecretBox box;
    private AppCatalog apps;
    private AddonCatalog catalog;
    private PlatformAddons addons;

    @BeforeEach
    void setUp() throws IOException {
        box = new SecretBox(home, clock);
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), clock, box);
        catalog = new AddonCatalog(home, box);
        addons = new PlatformAddons(catalog, apps, new DeployPipeline(apps, new ReleaseRunner()), clock);
        addons.addDatabase(postgres, Map.of("hop3.database", "postgres", "service.id", 1L));
        apps.create(SHOP);
        apps.create(BLOG);
    }

    /** Gives an app a release: with no process driver installed, its next release fails. */
    private void deployed(AppName app) {
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web"), Map.of(), List.of(), List.of(), null, null, List.of());
        apps.update(app, d -> d.withRelease(new ReleaseDocument(1, 1, "abc1234", "static", "Deploy abc1234", Instant.now(),
                d.config(), Map.of("web", 1), runtime)));
    }

    private String password() throws IOException {
        return catalog.find(DB).orElseThrow().credentials().get("password");
    }

    private List<Path> filesHolding(String text) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(f).contains(text)) {
                    found.add(f);
                }
            }
        }
        return found;
    }

    @Test
    void theCatalogKeepsCredentialsSealedOwnerOnlyAndReadsThemBack() throws Exception {
        addons.create("postgres", DB, Map.of("version", "16"));
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        String password = password();

        assertEquals(List.of(), filesHolding(password), "no file holds the password in plain text");
        Path file = home.resolve("addons/shop-db.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        AddonDocument reread = new AddonCatalog(home, new SecretBox(home, clock)).find(DB).orElseThrow();
        assertEquals(password, reread.credentials().get("password"));
        assertEquals(Map.of("version", "16"), reread.options());
        assertEquals("DATABASE", reread.attachments().get("shop").prefix());
        assertEquals(List.of("DATABASE_URL", "MEMHOST", "MEMPASSWORD"), reread.attachments().get("shop").variables());
    }

    @Test
    void aCredentialMovedToAnotherAddonsFileDoesNotOpen() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.create("postgres", AddonName.of("other"), Map.of());
        String sealed = Files.readString(home.resolve("addons/other.json"));
        Files.writeString(home.resolve("addons/shop-db.json"), sealed.replace("\"other\"", "\"shop-db\""));

        assertThrows(RuntimeException.class, () -> catalog.find(DB));
    }

    @Test
    void aTakenNameOrAnUnknownTypeIsRefusedListingTheInstalledTypes() throws Exception {
        addons.create("postgres", DB, Map.of());

        AddonException taken = assertThrows(AddonException.class, () -> addons.create("postgres", DB, Map.of()));
        assertTrue(taken.getMessage().contains("exists already"), taken.getMessage());
        AddonException unknown = assertThrows(AddonException.class,
                () -> addons.create("mongo", AddonName.of("docs"), Map.of()));
        assertEquals("The plugin for add-on type 'mongo' is not installed; installed types: postgres.", unknown.getMessage());
        assertFalse(Files.exists(home.resolve("addons/docs.json")));
    }

    @Test
    void anAddonWhosePluginIsGoneShowsWhyInsteadOfFailing() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.removeDatabase(postgres, Map.of("hop3.database", "postgres"));

        AddonInfo info = addons.info(DB);
        assertFalse(info.status().reachable());
        assertEquals("plugin for type postgres not installed", info.status().detail());
        assertEquals(1, addons.list().size());
        assertEquals(List.of(), addons.types());
    }

    @Test
    void whenTwoPluginsOfferOneTypeTheChosenOneIsUsed() throws Exception {
        InMemoryDatabase better = new InMemoryDatabase("postgres", "DATABASE");
        addons.addDatabase(better, Map.of("hop3.database", "postgres", "service.id", 2L, "service.ranking", 10));

        addons.create("postgres", DB, Map.of());

        assertTrue(better.exists("shop-db"));
        assertFalse(postgres.exists("shop-db"));
        assertEquals(1, addons.types().size());
    }

    @Test
    void attachingSetsTheVariablesAndATakenUrlIsRefusedNamingAs() throws Exception {
        addons.create("postgres", DB, Map.of());
        AddonName analytics = AddonName.of("analytics");
        addons.create("postgres", analytics, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        assertEquals(password(), apps.document(SHOP).config().get("MEMPASSWORD"));
        assertTrue(apps.document(SHOP).config().get("DATABASE_URL").startsWith("postgres://shop_db:"));

        AddonException taken = assertThrows(AddonException.class, () -> addons.attach(analytics, SHOP, Optional.empty(), QUIET));
        assertTrue(taken.getMessage().contains("DATABASE_URL") && taken.getMessage().contains("addon:attach --as ANALYTICS analytics shop")
                && taken.getMessage().contains("add-on shop-db"), taken.getMessage());
        assertEquals(Map.of(), addons.info(analytics).attachments());

        addons.attach(analytics, SHOP, Optional.of("ANALYTICS"), QUIET);
        assertTrue(apps.document(SHOP).config().get("ANALYTICS_URL").startsWith("postgres://analytics:"));
        assertEquals(Map.of(SHOP, "ANALYTICS"), addons.info(analytics).attachments());
    }

    @Test
    void aUrlSetByHandIsNotOverwritten() throws Exception {
        apps.update(SHOP, d -> d.withConfig(Map.of("DATABASE_URL", "postgres://elsewhere/db")));
        addons.create("postgres", DB, Map.of());

        AddonException e = assertThrows(AddonException.class, () -> addons.attach(DB, SHOP, Optional.empty(), QUIET));
        assertTrue(e.getMessage().contains("set with app:config-set") && e.getMessage().contains("--as"), e.getMessage());
        assertEquals(Map.of("DATABASE_URL", "postgres://elsewhere/db"), apps.document(SHOP).config());
        assertThrows(AddonException.class, () -> addons.attach(DB, SHOP, Optional.of("lower"), QUIET));
    }

    @Test
    void anAttachWhoseReleaseFailsChangesNothing() throws Exception {
        deployed(BLOG);
        addons.create("postgres", DB, Map.of());

        DeployException e = assertThrows(DeployException.class, () -> addons.attach(DB, BLOG, Optional.empty(), QUIET));

        assertTrue(e.getMessage().contains("process driver"), e.getMessage());
        assertEquals(Map.of(), apps.document(BLOG).config());
        assertEquals(Map.of(), addons.info(DB).attachments());
    }

    @Test
    void detachingRemovesExactlyItsVariablesAndKeepsTheAddon() throws Exception {
        apps.update(SHOP, d -> d.withConfig(Map.of("DEBUG", "1")));
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);

        addons.detach(DB, SHOP, QUIET);

        assertEquals(Map.of("DEBUG", "1"), apps.document(SHOP).config());
        assertEquals(Map.of(), addons.info(DB).attachments());
        assertTrue(postgres.exists("shop-db"));
        assertThrows(AddonException.class, () -> addons.detach(DB, SHOP, QUIET));
    }

    @Test
    void destroyIsRefusedWhileAttachedThenDropsTheDataAndTheFile() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        addons.attach(DB, BLOG, Optional.empty(), QUIET);

        AddonException e = assertThrows(AddonException.class, () -> addons.destroy(DB));
        assertEquals("Add-on 'shop-db' is attached to blog, shop; detach it first (addon:detach shop-db blog).", e.getMessage());
        assertTrue(postgres.exists("shop-db"));

        addons.detach(DB, SHOP, QUIET);
        addons.detach(DB, BLOG, QUIET);
        addons.destroy(DB);
        assertFalse(postgres.exists("shop-db"));
        assertFalse(Files.exists(home.resolve("addons/shop-db.json")));
        assertThrows(AddonException.class, () -> addons.info(DB));
    }

    @Test
    void aRotationMovesEveryAppThenRetiresTheOldPassword() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        addons.attach(DB, BLOG, Optional.of("MAIN"), QUIET);
        String old = password();

        addons.rotate(DB, QUIET);

        String now = password();
        assertEquals(java.util.Set.of(now), postgres.passwords("shop-db"), "only the new password opens it");
        assertEquals(now, apps.document(SHOP).config().get("MEMPASSWORD"));
        assertTrue(apps.document(BLOG).config().get("MAIN_URL").contains(":" + now + "@"));
        assertFalse(now.equals(old));
        assertEquals(List.of(), catalog.find(DB).orElseThrow().retiring());
        assertEquals(List.of(), filesHolding(now));
    }

    @Test
    void anUpgradeCopiesTheDataMovesTheAppsAndKeepsThePreviousDatabaseUntilFinished() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        addons.attach(DB, BLOG, Optional.of("MAIN"), QUIET);
        postgres.write("shop-db", "orders: 3");

        addons.upgrade(DB, Optional.of("16"), QUIET);

        AddonDocument doc = catalog.find(DB).orElseThrow();
        assertEquals("shop-db-u2", doc.instanceName().value());
        assertEquals("16", doc.options().get("version"));
        assertEquals("orders: 3", postgres.contents("shop-db-u2"), "the data, copied");
        assertTrue(apps.document(SHOP).config().get("DATABASE_URL").endsWith("/shop_db_u2"));
        assertTrue(apps.document(BLOG).config().get("MAIN_URL").endsWith("/shop_db_u2"));
        assertEquals("orders: 3", postgres.contents("shop-db"), "the previous database is kept");
        assertTrue(addons.info(DB).status().reachable(), "the status is the new database's");
        AddonException again = assertThrows(AddonException.class, () -> addons.upgrade(DB, Optional.empty(), QUIET));
        assertTrue(again.getMessage().contains("addon:upgrade --finish shop-db"), again.getMessage());
        assertEquals(List.of(), filesHolding(doc.credentials().get("password")), "sealed like every credential");
        try (Stream<Path> left = Files.list(home.resolve("addons"))) {
            assertEquals(List.of(), left.filter(p -> !p.toString().endsWith(".json")).toList(), "no dump left");
        }

        addons.finishUpgrade(DB);

        assertFalse(postgres.exists("shop-db"), "the previous database is dropped");
        assertTrue(postgres.exists("shop-db-u2"));
        assertEquals(null, catalog.find(DB).orElseThrow().previous());
        assertThrows(AddonException.class, () -> addons.finishUpgrade(DB));
        addons.detach(DB, SHOP, QUIET);
        addons.detach(DB, BLOG, QUIET);
        addons.destroy(DB);
        assertFalse(postgres.exists("shop-db-u2"), "destroying drops the database the add-on lives in");
    }

    @Test
    void undoingAnUpgradeMovesTheAppsBackAndDropsTheNewDatabase() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        String old = apps.document(SHOP).config().get("DATABASE_URL");
        postgres.write("shop-db", "orders: 3");
        addons.upgrade(DB, Optional.empty(), QUIET);
        postgres.write("shop-db", "orders: 4, written before the app moved");

        addons.undoUpgrade(DB, QUIET);

        assertEquals(old, apps.document(SHOP).config().get("DATABASE_URL"));
        assertFalse(postgres.exists("shop-db-u2"));
        assertEquals("orders: 4, written before the app moved", postgres.contents("shop-db"));
        AddonDocument doc = catalog.find(DB).orElseThrow();
        assertEquals("shop-db", doc.instanceName().value());
        assertEquals(null, doc.previous());
        addons.upgrade(DB, Optional.empty(), QUIET);
        assertEquals("shop-db-u2", catalog.find(DB).orElseThrow().instanceName().value(), "an upgrade again works");
    }

    @Test
    void anUpgradeWhoseCopyFailsChangesNothing() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        String url = apps.document(SHOP).config().get("DATABASE_URL");
        postgres.failRestores("pg_restore: error: could not execute query");

        AddonException e = assertThrows(AddonException.class, () -> addons.upgrade(DB, Optional.empty(), QUIET));

        assertTrue(e.getMessage().contains("changed nothing") && e.getMessage().contains("pg_restore: error"), e.getMessage());
        assertFalse(postgres.exists("shop-db-u2"), "the new database is dropped");
        assertEquals(url, apps.document(SHOP).config().get("DATABASE_URL"));
        assertEquals(null, catalog.find(DB).orElseThrow().previous());
        assertThrows(AddonException.class, () -> addons.undoUpgrade(DB, QUIET), "no upgrade to undo");
    }

    @Test
    void aRotationWhoseReleaseFailsRetiresNothingAndSaysSo() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);
        addons.attach(DB, BLOG, Optional.empty(), QUIET);
        deployed(BLOG);
        String old = password();

        AddonException e = assertThrows(AddonException.class, () -> addons.rotate(DB, QUIET));

        assertTrue(e.getMessage().contains("blog") && e.getMessage().contains("none were retired"), e.getMessage());
        String now = password();
        assertEquals(java.util.Set.of(old, now), postgres.passwords("shop-db"), "the old password still works");
        assertEquals(now, apps.document(SHOP).config().get("MEMPASSWORD"));
        assertEquals(old, apps.document(BLOG).config().get("MEMPASSWORD"));
        assertEquals(1, catalog.find(DB).orElseThrow().retiring().size());
    }

    @Test
    void aDestroyedAppIsDetachedInTheCatalogAndTheAddonKept() throws Exception {
        addons.create("postgres", DB, Map.of());
        addons.attach(DB, SHOP, Optional.empty(), QUIET);

        apps.destroy(SHOP, false);
        addons.forget("shop");

        assertEquals(Map.of(), addons.info(DB).attachments());
        assertTrue(postgres.exists("shop-db"));
        addons.destroy(DB);
    }

    @Test
    void aKeyRotationReencryptsTheAddons() throws Exception {
        addons.create("postgres", DB, Map.of());
        String password = password();
        String oldKey = box.currentKey();

        KeyRotation rotation = new SecretRotation(box, apps, catalog).rotate();

        assertEquals(List.of(), rotation.problems());
        assertEquals(List.of(oldKey), rotation.retired());
        String file = Files.readString(home.resolve("addons/shop-db.json"));
        assertFalse(file.contains(oldKey + ":"), file);
        assertEquals(password, new AddonCatalog(home, new SecretBox(home, clock)).find(DB).orElseThrow()
                .credentials().get("password"));
    }

    @Test
    void aDeployCreatesAndAttachesWhatTheAppDeclaresOnceItServes() throws Exception {
        DeclaredAddons.Provision provision = addons.provision(SHOP,
                List.of(new AddonDeclaration("postgres", Optional.empty(), Optional.empty())), Map.of(), QUIET);

        AddonName declared = AddonName.of("shop-postgres");
        assertTrue(postgres.exists("shop-postgres"));
        assertTrue(provision.variables().get("DATABASE_URL").startsWith("postgres://shop_postgres:"));
        assertEquals(Map.of(), addons.info(declared).attachments(), "not attached before the release serves");
        provision.commit();
        assertEquals(Map.of(SHOP, "DATABASE"), addons.info(declared).attachments());
        assertTrue(addons.provision(SHOP, List.of(new AddonDeclaration("postgres", Optional.empty(), Optional.empty())),
                Map.of(), QUIET).variables().isEmpty(), "attached already: nothing to do");
    }

    @Test
    void aDeclaredAddonThatCannotBeMadeFailsTheDeploySayingWhy() {
        DeployException unknown = assertThrows(DeployException.class, () -> addons.provision(SHOP,
                List.of(new AddonDeclaration("mongo", Optional.empty(), Optional.empty())), Map.of(), QUIET));
        assertTrue(unknown.getMessage().contains("'mongo' is not installed; installed types: postgres"), unknown.getMessage());

        DeployException taken = assertThrows(DeployException.class, () -> addons.provision(SHOP,
                List.of(new AddonDeclaration("postgres", Optional.of("main"), Optional.empty())),
                Map.of("DATABASE_URL", "x"), QUIET));
        assertTrue(taken.getMessage().contains("as = \"MAIN\""), taken.getMessage());
    }

    @Test
    void aPushDeclaringAnAddonThatCannotBeMadeFailsAndChangesNothing() throws Exception {
        Path source = home.resolve("source");
        Files.createDirectories(source);
        Files.writeString(source.resolve("Procfile"), "web: ./web\nrelease: ./migrate\n");
        Files.writeString(source.resolve("hop3.toml"), "[[addons]]\ntype = \"mongo\"\n");
        DeployPipeline pipeline = new DeployPipeline(apps, new ReleaseRunner(), addons);

        DeployException e = assertThrows(DeployException.class, () -> pipeline.deploy(SHOP, source, "abc1234", QUIET));

        assertEquals("Add-on 'shop-mongo' declared by the app: The plugin for add-on type 'mongo' is not installed;"
                + " installed types: postgres.", e.getMessage());
        assertTrue(apps.document(SHOP).releases().isEmpty());
        assertEquals(Map.of(), apps.document(SHOP).config());
        assertEquals(List.of(), addons.list());
        DeployException none = assertThrows(DeployException.class, () -> new DeployPipeline(apps, new ReleaseRunner())
                .deploy(SHOP, source, "abc1234", QUIET));
        assertTrue(none.getMessage().contains("add-on service is not running"), none.getMessage());
    }
}
