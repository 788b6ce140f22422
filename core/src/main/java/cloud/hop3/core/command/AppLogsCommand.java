package cloud.hop3.core.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "logs", description = "Shows the output of an app's processes; -f follows it.")
@Service
public class AppLogsCommand implements Action {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "-n", aliases = "--lines", description = "How many of the last lines to show (default 100).")
    private int lines = 100;

    @Option(name = "-f", aliases = "--follow", description = "Keeps showing new lines until interrupted (Ctrl-C).")
    private boolean follow;

    @Override
    public Object execute() throws Exception {
        AppName app = AppName.of(name);
        if (lines < 1 || lines > 100_000) {
            throw new IllegalArgumentException("-n is from 1 to 100000.");
        }
        List<String> shown = apps.logs(app, lines);
        shown.forEach(System.out::println);
        while (follow && !Thread.currentThread().isInterrupted()) {
            Thread.sleep(500);
            List<String> now = apps.logs(app, lines);
            printNew(shown, now);
            shown = now;
        }
        return null;
    }

    /** Prints the lines of {@code now} that come after the end of {@code before}. */
    static void printNew(List<String> before, List<String> now) {
        int overlap = 0;
        for (int k = Math.min(before.size(), now.size()); k > 0; k--) {
            if (before.subList(before.size() - k, before.size()).equals(now.subList(0, k))) {
                overlap = k;
                break;
            }
        }
        now.subList(overlap, now.size()).forEach(System.out::println);
    }
}
