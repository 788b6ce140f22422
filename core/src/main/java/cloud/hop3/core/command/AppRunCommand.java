package cloud.hop3.core.command;

import java.util.Optional;
import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppException;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "run", description = "Runs a one-off command in an app's current release, with its environment.")
@Service
public class AppRunCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "command", required = true, multiValued = true, description = "The command, run by /bin/sh -c.")
    private List<String> command;

    @Option(name = "-t", aliases = "--timeout", description = "Seconds the command may run before it is stopped (default 3600).")
    private int timeoutSeconds = 3600;

    @Override
    Permission permission() {
        return Permission.PUSH;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        int status = apps.run(AppName.of(name), String.join(" ", command), System.out, Duration.ofSeconds(timeoutSeconds));
        System.out.flush();
        if (status != 0) {
            throw new IllegalStateException("The command exited with status " + status + ".");
        }
        return null;
    }
}
