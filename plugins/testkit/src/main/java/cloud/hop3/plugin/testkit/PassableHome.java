package cloud.hop3.plugin.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link PassableDirectory} that JUnit makes before a test class's tests and removes after them
 * (registered on a static field), or around each test (on an instance field), together with the
 * clean-ups the tests register as they start servers and make accounts:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final PassableHome HOME = new PassableHome("hop3-redis");
 * ...
 * redis = new RedisDatabase(new TestPlatform(HOME.path()), ...);
 * HOME.afterwards(redis::stopServers);
 * </pre>
 *
 * After the tests, the clean-ups run as {@link CleanUps} runs them, and then the directory is
 * removed: a server that a failing set-up started is still stopped, and nothing is left under /tmp.
 */
public final class PassableHome implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private final CleanUps cleanUps = new CleanUps();
    private Path path;
    private boolean perTest;

    /** @param prefix how the directory's name under /tmp starts */
    public PassableHome(String prefix) {
        this.prefix = prefix;
    }

    /** The directory; made before the tests start. */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException("PassableHome is made by JUnit: register it with @RegisterExtension");
        }
        return path;
    }

    /** Runs {@code cleanUp} after the tests (stop a server, remove an account), before those registered earlier. */
    public void afterwards(AutoCloseable cleanUp) {
        cleanUps.add(cleanUp);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        create();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (path == null) {
            // on an instance field, JUnit calls only the callbacks around each test
            perTest = true;
            create();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            cleanUp();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        cleanUp();
    }

    private void create() throws Exception {
        Path created = PassableDirectory.create(prefix);
        path = created;
        cleanUps.add(() -> PassableDirectory.delete(created));
    }

    private void cleanUp() throws Exception {
        path = null;
        cleanUps.close();
    }
}
