package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppDriver;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "driver", description = "Shows or chooses the process driver an app runs on (local, kubernetes...); a change applies from its next release.")
@Service
public class AppDriverCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "driver", description = "The name of an installed process driver to run the app on.")
    private String driver;

    @Option(name = "-d", aliases = "--default", description = "Run the app on the platform's default driver again.")
    private boolean platformDefault;

    @Override
    Permission permission() {
        return driver == null && !platformDefault ? Permission.READ : Permission.CONFIG;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        if (driver != null && platformDefault) {
            throw new IllegalArgumentException("Give a driver's name or --default, not both; nothing was changed.");
        }
        if (driver == null && !platformDefault) {
            System.out.println(describe(apps.driver(app)));
            return null;
        }
        AppDriver now = apps.driver(app, platformDefault ? "" : driver);
        System.out.println("App " + app + " will run on " + describe(now) + " from its next release (a deploy, a config"
                + " change, a rollback); what runs now keeps running until then.");
        return null;
    }

    /** "kubernetes (chosen for the app; puts whole releases into service)". */
    static String describe(AppDriver d) {
        String name = d.name().isEmpty() ? "no driver" : d.name();
        StringBuilder s = new StringBuilder(name).append(" (").append(d.chosen() ? "chosen for the app" : "platform default");
        if (!d.installed()) {
            s.append("; not installed");
        } else {
            s.append(d.wholeReleases() ? "; puts whole releases into service" : "; starts processes one by one");
        }
        if (!d.serving().isEmpty() && !d.serving().equals(d.name())) {
            s.append("; the current release runs on ").append(d.serving());
        }
        return s.append(')').toString();
    }
}
