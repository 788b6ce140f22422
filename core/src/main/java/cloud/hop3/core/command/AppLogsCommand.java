package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "logs", description = "Shows the output of an app's processes; -f follows it.")
@Service
public class AppLogsCommand extends GuardedAction {

    /** How often -f asks for new lines, in milliseconds. */
    private static final long POLL_MILLIS = 500;
    /** The most lines -f prints at once; more wait for the next poll. */
    private static final int BATCH = 10_000;

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "-n", aliases = "--lines", description = "How many of the last lines to show (default 100).")
    private int lines = 100;

    @Option(name = "-f", aliases = "--follow", description = "Keeps showing new lines until interrupted (Ctrl-C).")
    private boolean follow;

    /** For Karaf. */
    public AppLogsCommand() {
    }

    /** For tests: {@code app:logs [-f] -n lines name} on {@code apps}. */
    AppLogsCommand(AppService apps, String name, int lines, boolean follow) {
        this.apps = apps;
        this.name = name;
        this.lines = lines;
        this.follow = follow;
    }

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        if (lines < 1 || lines > 100_000) {
            throw new IllegalArgumentException("-n is from 1 to 100000.");
        }
        LogChunk chunk = apps.tail(app, lines);
        chunk.lines().forEach(System.out::println);
        while (follow && !Thread.currentThread().isInterrupted()) {
            // each read continues where the last one ended: every new line once, repeated ones too
            chunk = apps.logs(app, chunk.next(), BATCH);
            chunk.lines().forEach(System.out::println);
            System.out.flush();
            if (chunk.lines().size() < BATCH) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        return null;
    }
}
