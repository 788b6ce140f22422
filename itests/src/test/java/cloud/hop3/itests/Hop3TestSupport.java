package cloud.hop3.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Boots the Hop3 distribution itself (not a stock Karaf) under Pax Exam, on free ports, with a
 * fresh state directory, resolving bundles from the local Maven repository only.
 */
public abstract class Hop3TestSupport {

    /** The roles of the distribution's admin group (etc/keys.properties). */
    protected static final String[] ADMIN_GROUP = {"admin", "manager", "viewer", "systembundles", "ssh"};

    /** System property, in the container, with the built-in proxy's HTTP port. */
    protected static final String PROXY_PORT_PROPERTY = "hop3.itest.proxy.port";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /**
     * Registered once the boot features are installed: a test that changes bundles before then
     * could see the features service put them back as it finishes.
     */
    @Inject
    protected BootFinished bootFinished;

    /** The container's configuration, shared by every test class. */
    public static Option[] distribution() throws IOException {
        String repo = System.getProperty("maven.repo.local");
        String home = Files.createTempDirectory("hop3-home").toString();
        String proxyPort = String.valueOf(freePort());
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven("cloud.hop3", "karaf-assembly", System.getProperty("hop3.version")).type("tar.gz"))
                    .name("Hop3")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(freePort())),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots"),
            editConfigurationFilePut("etc/cloud.hop3.core.cfg", "home", home),
            editConfigurationFilePut("etc/cloud.hop3.proxy.builtin.cfg", "httpPort", proxyPort),
            editConfigurationFilePut("etc/cloud.hop3.proxy.builtin.cfg", "bindAddress", "127.0.0.1"),
            systemProperty(PROXY_PORT_PROPERTY).value(proxyPort),
            systemProperty("org.ops4j.pax.url.mvn.localRepository").value(repo),
            systemProperty("hop3.builder.static.jar").value(System.getProperty("hop3.builder.static.jar")),
            vmOptions(
                    "--add-reads=java.xml=java.logging",
                    "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                    "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion() + ".jar",
                    "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion() + ".jar",
                    "--add-opens", "java.base/java.security=ALL-UNNAMED",
                    "--add-opens", "java.base/java.net=ALL-UNNAMED",
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.base/java.util=ALL-UNNAMED",
                    "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                    "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                    "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                    "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
        };
    }

    static String karafVersion() {
        return System.getProperty("karaf.version", "4.4.10");
    }

    /** A port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Runs a shell command as a user with the given roles (default: an admin's), and returns what it printed. */
    protected String execute(String command, String... roles) throws Exception {
        awaitCommand(command.split(" ", 2)[0]);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("itest"));
        for (String role : roles.length == 0 ? ADMIN_GROUP : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        } finally {
            out.flush();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * A table printed with {@code --no-format}, without the spaces that pad its cells to the
     * widest one of their column (they depend on which other rows there are).
     */
    protected static String unpadded(String table) {
        return table.replaceAll(" +(\t|\r?\n)", "$1");
    }

    /** Waits until Karaf has registered a command (commands appear shortly after their bundle starts). */
    protected void awaitCommand(String scopedName) throws InterruptedException {
        String[] parts = scopedName.split(":", 2);
        await("command " + scopedName, Duration.ofSeconds(30),
                () -> sessionFactory.getRegistry().getCommand(parts[0], parts[1]) != null);
    }

    /** Polls {@code condition} until it holds or the deadline passes. */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
