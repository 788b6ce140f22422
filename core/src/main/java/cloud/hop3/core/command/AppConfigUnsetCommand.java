package cloud.hop3.core.command;

import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "config-unset", description = "Removes config vars; a deployed app gets a new release without downtime.")
@Service
public class AppConfigUnsetCommand extends GuardedAction {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "KEY", required = true, multiValued = true, description = "The vars to remove.")
    private List<String> keys;

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
        Set<String> unset = new LinkedHashSet<>();
        for (String key : keys) {
            unset.add(ConfigVarName.of(key).value());
        }
        Release release = deploys.configure(app, Map.of(), unset, new ShellBuildLog(System.out));
        System.out.println(release == null ? "Config of " + name + " saved."
                : "Config of " + name + " changed; v" + release.number() + " serves.");
        return null;
    }
}
