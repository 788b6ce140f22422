package cloud.hop3.core.command;

import java.util.Optional;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

/**
 * Shows an app's config vars; with {@code --shell}, as lines that a POSIX shell reads back with
 * {@code eval}: each value is single-quoted (a quote inside written {@code '\''}), so what the
 * shell gets is the value itself, and nothing in it ({@code $(...)}, backquotes, {@code ;},
 * newlines) is run.
 */
@Command(scope = "app", name = "config", description = "Shows an app's config vars.")
@Service
public class AppConfigCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "-s", aliases = "--shell", description = "Prints KEY=value lines, for scripts.")
    private boolean shell;

    /** For Karaf. */
    public AppConfigCommand() {
    }

    AppConfigCommand(AppService apps, String name, boolean shell) {
        this.apps = apps;
        this.name = name;
        this.shell = shell;
    }

    @Override
    Permission permission() {
        return Permission.CONFIG;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        Map<String, String> config = apps.config(AppName.of(name));
        if (config.isEmpty() && !shell) {
            System.out.println("App " + name + " has no config vars; set some with app:config-set " + name + " KEY=value.");
        }
        int width = config.keySet().stream().mapToInt(String::length).max().orElse(0);
        config.forEach((k, v) -> System.out.println(shell ? k + "=" + shellQuoted(v) : String.format("%-" + width + "s  %s", k, v)));
        return null;
    }

    /** {@code value} as one POSIX shell word that stands for exactly {@code value}. */
    static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
