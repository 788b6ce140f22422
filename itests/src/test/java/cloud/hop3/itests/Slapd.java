package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import cloud.hop3.itests.Command.Result;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * An OpenLDAP server from Debian's slapd package, as this test's own process: a temporary
 * slapd.conf with an mdb database under {@code dir}, loaded with slapadd, listening on loopback
 * on a free port. Closing it stops the process.
 */
final class Slapd implements AutoCloseable {

    static final String SUFFIX = "dc=hop3,dc=test";
    static final String PEOPLE = "ou=people," + SUFFIX;
    static final String GROUPS = "ou=groups," + SUFFIX;

    final int port;
    private final Process process;

    /**
     * Starts a directory holding {@code ldif} (after the base, people and groups entries).
     */
    Slapd(Path dir, String ldif) throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Path conf = dir.resolve("slapd.conf");
        Files.writeString(conf, String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + dir.resolve("slapd.pid"),
                "database mdb",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"cn=manager," + SUFFIX + "\"",
                "directory " + dir.resolve("db"),
                "maxsize 10485760",
                ""));
        Path data = dir.resolve("data.ldif");
        Files.writeString(data, "dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\no: hop3\ndc: hop3\n\n"
                + "dn: " + PEOPLE + "\nobjectClass: organizationalUnit\nou: people\n\n"
                + "dn: " + GROUPS + "\nobjectClass: organizationalUnit\nou: groups\n\n" + ldif);
        Result load = Command.run(dir, Map.of(), Duration.ofMinutes(1), "/usr/sbin/slapadd", "-f", conf.toString(), "-l",
                data.toString());
        assertEquals(0, load.exit(), "slapadd: " + load);
        port = FreePorts.any();
        // -d keeps slapd in the foreground, a child of this test that stops with it
        process = new ProcessBuilder("/usr/sbin/slapd", "-d", "0", "-f", conf.toString(), "-h", "ldap://127.0.0.1:" + port + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IllegalStateException("slapd did not start: " + Files.readString(dir.resolve("slapd.log")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** An inetOrgPerson entry under {@link #PEOPLE} with that password (hashed by slappasswd). */
    static String person(String uid, String password) throws Exception {
        Result hash = Command.run(Path.of("/"), Map.of(), Duration.ofMinutes(1), "/usr/sbin/slappasswd", "-s", password);
        assertEquals(0, hash.exit(), hash.toString());
        return "dn: uid=" + uid + "," + PEOPLE + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid
                + "\nuserPassword: " + hash.output().strip() + "\n\n";
    }

    /** A groupOfNames under {@link #GROUPS} with these members (uids under {@link #PEOPLE}). */
    static String group(String cn, String... members) {
        StringBuilder s = new StringBuilder("dn: cn=" + cn + "," + GROUPS + "\nobjectClass: groupOfNames\ncn: " + cn + "\n");
        for (String m : members) {
            s.append("member: uid=").append(m).append(",").append(PEOPLE).append("\n");
        }
        return s.append("\n").toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
