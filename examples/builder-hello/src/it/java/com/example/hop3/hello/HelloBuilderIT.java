package com.example.hop3.hello;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;

/**
 * The plugin in the real platform: the Hop3 distribution boots under Pax Exam with this bundle
 * installed, and the test runs inside it, next to core's services.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloBuilderIT {

    @Inject
    @Filter("(hop3.builder=hello)")
    private Builder builder;

    @Inject
    private PluginRegistry registry;

    @Configuration
    public Option[] config() throws IOException {
        String repo = System.getProperty("maven.repo.local");
        String karaf = System.getProperty("karaf.version");
        return new Option[] {
            // Hop3's own distribution, not a stock Karaf, from the local Maven repository
            karafDistributionConfiguration()
                    .frameworkUrl(maven("cloud.hop3", "karaf-assembly", System.getProperty("hop3.version")).type("tar.gz"))
                    .name("Hop3")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            // free ports and a fresh state directory, so that it runs next to anything else
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
            editConfigurationFilePut("etc/cloud.hop3.proxy.builtin.cfg", "httpPort", String.valueOf(freePort())),
            editConfigurationFilePut("etc/cloud.hop3.proxy.builtin.cfg", "bindAddress", "127.0.0.1"),
            editConfigurationFilePut("etc/cloud.hop3.core.cfg", "home", Files.createTempDirectory("hop3-home").toString()),
            editConfigurationFilePut("etc/cloud.hop3.core.cfg", "git.ssh.port", String.valueOf(freePort())),
            // bundles come from the local repository only
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            // the bundle under test, as mvn package built it
            bundle(Path.of(System.getProperty("plugin.jar")).toUri().toString()),
            // what bin/karaf passes to Java 17
            vmOptions(
                    "--add-reads=java.xml=java.logging",
                    "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                    "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karaf + ".jar",
                    "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karaf + ".jar",
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

    @Test
    public void coreListsTheBuilder() {
        PluginInfo hello = registry.plugins().stream()
                .filter(p -> p.kind() == PluginKind.BUILDER && p.name().equals("hello"))
                .findFirst().orElseThrow();
        assertEquals("com.example.hop3.builder.hello", hello.bundle());
        assertEquals("ACTIVE", hello.state().toUpperCase());
    }

    @Test
    public void detectsHelloTxt() throws IOException {
        Path source = Files.createTempDirectory("hello-src");
        assertEquals(Optional.empty(), builder.detect(source));
        Files.writeString(source.resolve("hello.txt"), "hi");
        assertEquals(Optional.of(new Detection(100, "found hello.txt")), builder.detect(source));
    }

    @Test
    public void buildsWithCoresBuildCommands() throws Exception {
        Path source = Files.createTempDirectory("hello-src");
        Files.writeString(source.resolve("hello.txt"), "from inside the platform");
        Path slug = Files.createTempDirectory("hello-slug");
        List<String> lines = new CopyOnWriteArrayList<>();
        BuildLog log = new BuildLog() {
            @Override
            public void step(String text) {
                lines.add(text);
            }

            @Override
            public void info(String text) {
                lines.add(text);
            }

            @Override
            public void warn(String text) {
                lines.add(text);
            }
        };
        builder.build(new BuildRequest(AppName.of("demo"), source, slug, slug.resolveSibling("cache"), Map.of(),
                Duration.ofMinutes(1)), log);
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("Python 3.")));
        assertTrue(Files.readString(slug.resolve(".hello/index.html")).contains("from inside the platform"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
