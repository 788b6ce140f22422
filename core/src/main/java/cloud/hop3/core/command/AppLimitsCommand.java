package cloud.hop3.core.command;

import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppLimits;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "limits", description = "Shows or sets what each process of an app may use: memory=512M cpu=0.5 processes=64 files=4096 (key= removes one).")
@Service
public class AppLimitsCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "key=value", multiValued = true, description = "Limits to set, such as memory=512M; an empty value removes the one set here.")
    private List<String> pairs;

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
        AppName app = AppName.of(name);
        if (pairs != null && !pairs.isEmpty()) {
            Map<String, String> set = new LinkedHashMap<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' is not key=value, such as memory=512M; the limits are "
                            + String.join(", ", ResourceLimits.KEYS) + ".");
                }
                set.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            deploys.limit(app, set, new ShellBuildLog(System.out));
            System.out.println("Limits of " + app + " set.");
        }
        AppLimits limits = apps.limits(app);
        System.out.println("Limits:      " + limits.effective());
        System.out.println("  set here:  " + limits.set());
        System.out.println("  hop3.toml: " + limits.declared());
        System.out.println("  platform:  " + limits.defaults());
        System.out.println("Enforced by: " + limits.enforcement());
        System.out.println("App ports:   " + limits.appPorts());
        return null;
    }
}
