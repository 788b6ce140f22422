package cloud.hop3.core.impl.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * A platform in a JVM of its own, for {@link PlatformRestartTest}: starts one web process with
 * the local driver, prints its id and waits to be killed.
 * Arguments: home, slug, port, marker, command.
 */
public final class OtherPlatformMain {

    private OtherPlatformMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalProcessDriver driver = new LocalProcessDriver(new PlatformSettings(Path.of(args[0]), "example.com"), DriverOptions.DEFAULT);
        int port = Integer.parseInt(args[2]);
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "PORT", Integer.toString(port), DriverTestSupport.MARK, args[3]);
        String id = driver.start(new ProcessLaunch(AppName.of("shop"), 1, "web", 1, args[4], Path.of(args[1]), env, port)).id();
        System.out.println("started " + id);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
