package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Database add-ons as a user meets them, with the three plugins of the distribution and an app
 * that uses each database through the client library its ecosystem uses (Debian's psycopg2,
 * redis-py and PyMySQL): the first push creates and attaches the PostgreSQL add-on that the app
 * declares before its release command creates a table; attaching Redis is a new release that no
 * request notices; MariaDB is refused under the taken {@code DATABASE_URL} and attached under
 * {@code --as}; each server runs as its own user and outlives an update of its plugin's bundle;
 * the data outlives a restart of the platform and a rotation of credentials; destroying is
 * refused while attached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SHOP_APPS)
class AddonsIT {

    private static final List<String> ACCOUNTS = List.of("hop3_postgres", "hop3_redis", "hop3_mariadb", "hop3-shop", "hop3-blog");
    private static final Pattern COUNTS = Pattern.compile("pg=(\\d+) redis=(\\S+) maria=(\\S+)");

    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        // apps and servers run as their own users, which pass through the test's directory to HOP3_HOME
        Files.setPosixFilePermissions(platform.work, PosixFilePermissions.fromString("rwx--x--x"));
        platform.removesAccounts(ACCOUNTS);
        platform.bootFeatures("hop3-addon-postgres", "hop3-addon-redis");
        Distribution.ok(platform.hop3("start"));
        // the third plugin is installed into the running platform, as an operator adds one
        platform.hop3Ok("feature", "install", "hop3-addon-mariadb");
        platform.awaitAddonTypes("postgres", "redis", "mariadb");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theFirstPushCreatesTheDeclaredDatabaseBeforeTheReleaseCommandRuns() throws Exception {
        Result push = pushApp("shop");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Creating add-on shop-postgres (postgres)"), push.output());
        assertTrue(counts().matches("pg=\\d+ redis=- maria=-"), "the table made by the release command: " + counts());

        String list = platform.hop3Ok("addon", "list", "--no-format");
        assertTrue(list.lines().anyMatch(l -> l.startsWith("shop-postgres\tpostgres\tshop")), list);
        String config = platform.hop3Ok("app", "config", "shop");
        assertTrue(config.contains("DATABASE_URL") && config.contains("PGPASSWORD"), config);
        assertTrue(platform.hop3Ok("app", "run", "shop", "id -un").strip().equals("hop3-shop"));
    }

    @Test
    @Order(2)
    void attachingRedisUnderLoadIsANewReleaseThatNoRequestNotices() throws Exception {
        platform.hop3Ok("addon", "create", "redis", "cache");
        try (Load load = new Load(3, platform.httpPort, "shop.localhost", "/")) {
            String attached = platform.hop3Ok("addon", "attach", "cache", "shop");
            assertTrue(attached.contains("attached to shop as REDIS (REDIS_URL)"), attached);
            Hop3TestSupport.await("the app to use Redis", Duration.ofSeconds(30),
                    () -> !load.lastBody().contains("redis=-"));
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests while attaching (" + load.succeeded() + " answered)");
            assertTrue(load.succeeded() > 10, "requests were sent: " + load.succeeded());
        }
    }

    @Test
    @Order(3)
    void mariaDbUnderTheTakenDatabaseUrlIsRefusedAndAttachedUnderItsOwnPrefix() throws Exception {
        platform.hop3Ok("addon", "create", "mariadb", "orders");
        String before = platform.hop3Ok("app", "config", "shop");
        Result refused = platform.hop3("addon", "attach", "orders", "shop");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.output().contains("DATABASE_URL already (set by add-on shop-postgres)")
                && refused.output().contains("addon:attach --as ORDERS orders shop"), refused.output());
        assertEquals(before, platform.hop3Ok("app", "config", "shop"), "a refused attach changes nothing");

        String attached = platform.hop3Ok("addon", "attach", "--as", "ORDERS", "orders", "shop");
        assertTrue(attached.contains("as ORDERS (ORDERS_URL)"), attached);
        assertTrue(counts().matches("pg=\\d+ redis=\\d+ maria=\\d+"), counts());
    }

    @Test
    @Order(4)
    void eachServerRunsAsItsOwnUserAndOutlivesAnUpdateOfItsPlugin() throws Exception {
        Map<String, Long> servers = new java.util.LinkedHashMap<>();
        servers.put("postgres", pid("postmaster.pid"));
        servers.put("redis", pid("redis.pid"));
        servers.put("mariadb", pid("mariadbd.pid"));
        for (Map.Entry<String, Long> server : servers.entrySet()) {
            String uid = Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "id", "-u", "hop3_" + server.getKey())
                    .output().strip();
            String status = Files.readString(Path.of("/proc", server.getValue().toString(), "status"));
            assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+" + uid + "\\s.*")), server.getKey() + ": " + status);
        }
        // each plugin's state is its server's user's alone: nobody else lists or reads it
        for (String type : servers.keySet()) {
            Path state = platform.home.resolve("databases").resolve(type);
            String modes = PosixFilePermissions.toString(Files.getPosixFilePermissions(state));
            assertTrue(modes.matches("rwx-{2}[x-]-{2}[x-]"), state + ": " + modes);
        }
        try (Load load = new Load(3, platform.httpPort, "shop.localhost", "/")) {
            for (String type : servers.keySet()) {
                platform.hop3Ok("bundle", "update", "cloud.hop3.addon-" + type);
                Hop3TestSupport.await(type + " again in addon:types", Duration.ofMinutes(1), () -> {
                    try {
                        return platform.hop3Ok("addon", "types").contains(type);
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                });
            }
            int before = load.succeeded();
            Hop3TestSupport.await("requests after the updates", Duration.ofSeconds(30), () -> load.succeeded() > before + 10);
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests while updating (" + load.succeeded() + " answered)");
        }
        assertEquals(servers.get("postgres"), pid("postmaster.pid"), "the same PostgreSQL server, taken over");
        assertEquals(servers.get("redis"), pid("redis.pid"), "the same Redis server, taken over");
        assertEquals(servers.get("mariadb"), pid("mariadbd.pid"), "the same MariaDB server, taken over");
    }

    @Test
    @Order(5)
    void destroyingIsRefusedWhileAttachedAndAsksForTheNameAgain() throws Exception {
        Result attached = platform.hop3("addon", "destroy", "--confirm", "shop-postgres", "shop-postgres");
        assertNotEquals(0, attached.exit());
        assertTrue(attached.output().contains("is attached to shop; detach it first"), attached.output());
        Result unconfirmed = platform.hop3("addon", "destroy", "cache");
        assertNotEquals(0, unconfirmed.exit());
        assertTrue(unconfirmed.output().contains("addon:destroy --confirm cache cache"), unconfirmed.output());
        assertTrue(counts().startsWith("pg="), "still serving");
    }

    @Test
    @Order(6)
    void theDataOutlivesARestartOfThePlatformAndARotationOfCredentials() throws Exception {
        Matcher before = counted();
        platform.hop3Ok("stop");
        Distribution.ok(platform.hop3("start"));
        Hop3TestSupport.await("the app to serve again", Duration.ofMinutes(1), () -> {
            try {
                return COUNTS.matcher(counts()).find();
            } catch (IOException e) {
                return false;
            }
        });
        Matcher after = counted();
        assertTrue(Long.parseLong(after.group(1)) > Long.parseLong(before.group(1)), before.group() + " then " + after.group());
        assertTrue(Long.parseLong(after.group(2)) > Long.parseLong(before.group(2)), before.group() + " then " + after.group());
        assertTrue(Long.parseLong(after.group(3)) > Long.parseLong(before.group(3)), before.group() + " then " + after.group());

        String oldUrl = variable("DATABASE_URL");
        try (Load load = new Load(3, platform.httpPort, "shop.localhost", "/")) {
            platform.hop3Ok("addon", "credentials-rotate", "shop-postgres");
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests while rotating (" + load.succeeded() + " answered)");
        }
        assertNotEquals(oldUrl, variable("DATABASE_URL"));
        Matcher rotated = counted();
        assertTrue(Long.parseLong(rotated.group(1)) > Long.parseLong(after.group(1)), "the same data: " + rotated.group());
        // the old password opens nothing any more
        String old = connect(oldUrl);
        assertTrue(old.startsWith("refused") && old.contains("password authentication failed"), old);
    }

    @Test
    @Order(7)
    void anUpgradeMovesTheDataAndTheAppUnderLoadAndKeepsThePreviousDatabaseUntilFinished() throws Exception {
        String before = platform.hop3Ok("app", "config", "shop");
        Result unavailable = platform.hop3("addon", "upgrade", "--version", "99", "shop-postgres");
        assertNotEquals(0, unavailable.exit());
        assertTrue(unavailable.output().contains("PostgreSQL 99 is not available"), unavailable.output());
        assertEquals(before, platform.hop3Ok("app", "config", "shop"), "a refused upgrade changes nothing");

        String oldUrl = variable("DATABASE_URL");
        Matcher counted = counted();
        try (Load load = new Load(3, platform.httpPort, "shop.localhost", "/")) {
            String upgraded = platform.hop3Ok("addon", "upgrade", "shop-postgres");
            assertTrue(upgraded.contains("addon:upgrade --finish shop-postgres"), upgraded);
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests while upgrading (" + load.succeeded() + " answered)");
        }
        String newUrl = variable("DATABASE_URL");
        assertTrue(newUrl.endsWith("/shop_postgres_u2"), newUrl);
        Matcher after = counted();
        assertTrue(Long.parseLong(after.group(1)) > Long.parseLong(counted.group(1)), "the data, copied: " + counted.group()
                + " then " + after.group());
        assertEquals("connected", connect(oldUrl), "the previous database is kept");

        platform.hop3Ok("addon", "upgrade", "--finish", "shop-postgres");
        String gone = connect(oldUrl);
        assertTrue(gone.startsWith("refused"), "the previous database is dropped: " + gone);
        assertTrue(counts().matches("pg=\\d+ redis=\\d+ maria=\\d+"), counts());
    }

    @Test
    @Order(8)
    void removingAPluginKeepsItsServersAndTheAppServing() throws Exception {
        long redis = pid("redis.pid");
        platform.hop3Ok("feature", "uninstall", "hop3-addon-redis");
        String list = platform.hop3Ok("addon", "list", "--no-format");
        assertTrue(list.lines().anyMatch(l -> l.startsWith("cache\tredis\tshop") && l.contains("not installed")), list);
        assertTrue(counts().matches("pg=\\d+ redis=\\d+ maria=\\d+"), "the app still uses Redis: " + counts());
        Result refused = platform.hop3("addon", "create", "redis", "more");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("redis"), refused.output());

        platform.hop3Ok("feature", "install", "hop3-addon-redis");
        Hop3TestSupport.await("redis in addon:types again", Duration.ofMinutes(1), () -> {
            try {
                return platform.hop3Ok("addon", "types").contains("redis");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertEquals(redis, pid("redis.pid"), "the same server, taken over by the plugin installed again");
    }

    @Test
    @Order(9)
    void oneAppsCredentialsOpenNoOtherAppsDatabase() throws Exception {
        Result push = pushApp("blog");
        assertEquals(0, push.exit(), push.toString());
        String blogUrl = variable("blog", "DATABASE_URL");
        String shopUrl = variable("shop", "DATABASE_URL");
        assertEquals("connected", connect(blogUrl), "blog's own database");
        String crossed = connect(blogUrl.replaceFirst("/blog_postgres$", shopUrl.substring(shopUrl.lastIndexOf('/'))));
        assertTrue(crossed.startsWith("refused"), "blog's credentials on shop's database: " + crossed);
        crossed = connect(shopUrl.replaceFirst("/[a-z0-9_]+$", "/blog_postgres"));
        assertTrue(crossed.startsWith("refused"), "shop's credentials on blog's database: " + crossed);
    }

    @Test
    @Order(10)
    void detachingRemovesTheVariablesAndTheDetachedAddonCanBeDestroyed() throws Exception {
        String detached = platform.hop3Ok("addon", "detach", "cache", "shop");
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("REDIS_URL"), detached);
        assertTrue(counts().contains("redis=-"), counts());
        platform.hop3Ok("addon", "destroy", "--confirm", "cache", "cache");
        String list = platform.hop3Ok("addon", "list", "--no-format");
        assertFalse(list.contains("cache"), list);
        assertTrue(list.contains("shop-postgres") && list.contains("orders"), list);
    }

    /** Pushes the test's app, which declares a PostgreSQL add-on and makes its table in the release command. */
    private static Result pushApp(String name) throws IOException, InterruptedException {
        AppSource app = new AppSource(platform, name);
        app.writeAll(Map.of(
                "Procfile", "web: /usr/bin/python3 app.py\nrelease: /usr/bin/python3 migrate.py\n",
                "hop3.toml", "[[addons]]\ntype = \"postgres\"\n",
                "migrate.py", MIGRATE,
                "app.py", APP));
        return app.commitAndPush("first");
    }

    /** What psycopg2 says to a connection with {@code url}: connected, or refused and why. */
    private static String connect(String url) throws IOException, InterruptedException {
        Result r = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "/usr/bin/python3", "-c",
                "import psycopg2, sys\ntry:\n    psycopg2.connect(sys.argv[1]).close()\n    print('connected')\n"
                        + "except psycopg2.OperationalError as e:\n    print('refused', e)\n", url);
        return r.output().strip();
    }

    private static String variable(String name) throws IOException, InterruptedException {
        return variable("shop", name);
    }

    private static String variable(String app, String name) throws IOException, InterruptedException {
        return platform.configVar(app, name);
    }

    /** The pid in the first line of the server's pid file under the databases' state. */
    private static long pid(String file) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(platform.home.resolve("databases"))) {
            Path found = files.filter(f -> f.getFileName().toString().equals(file)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + file));
            return Long.parseLong(Files.readAllLines(found).get(0).strip());
        }
    }

    private static String counts() throws IOException {
        Http.Response r = Http.get(platform.httpPort, "shop.localhost", "/");
        return r.status() == 200 ? r.body() : r.status() + " " + r.body();
    }

    private static Matcher counted() throws IOException {
        String body = counts();
        Matcher m = COUNTS.matcher(body);
        assertTrue(m.find(), body);
        return m;
    }

    private static final String MIGRATE = """
            import os, psycopg2
            conn = psycopg2.connect(os.environ["DATABASE_URL"])
            with conn, conn.cursor() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
            conn.close()
            print("migrated")
            """;

    private static final String APP = AppSource.pythonTextServer("""
            import os, urllib.parse
            import psycopg2, pymysql, redis

            def postgres():
                conn = psycopg2.connect(os.environ["DATABASE_URL"])
                try:
                    with conn, conn.cursor() as cur:
                        cur.execute("INSERT INTO visits DEFAULT VALUES")
                        cur.execute("SELECT count(*) FROM visits")
                        return cur.fetchone()[0]
                finally:
                    conn.close()

            def cache():
                if "REDIS_URL" not in os.environ:
                    return "-"
                return redis.Redis.from_url(os.environ["REDIS_URL"]).incr("hits")

            def orders():
                if "ORDERS_URL" not in os.environ:
                    return "-"
                url = urllib.parse.urlparse(os.environ["ORDERS_URL"])
                conn = pymysql.connect(host=url.hostname, port=url.port, user=urllib.parse.unquote(url.username),
                                       password=urllib.parse.unquote(url.password), database=url.path[1:])
                try:
                    with conn.cursor() as cur:
                        cur.execute("CREATE TABLE IF NOT EXISTS orders (id INT AUTO_INCREMENT PRIMARY KEY)")
                        cur.execute("INSERT INTO orders () VALUES ()")
                        cur.execute("SELECT COUNT(*) FROM orders")
                        count = cur.fetchone()[0]
                    conn.commit()
                    return count
                finally:
                    conn.close()

            def answer():
                return "pg=%s redis=%s maria=%s" % (postgres(), cache(), orders())
            """);
}
