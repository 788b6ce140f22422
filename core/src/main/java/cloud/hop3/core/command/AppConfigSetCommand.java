package cloud.hop3.core.command;

import java.util.Optional;
import java.util.LinkedHashMap;
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

@Command(scope = "app", name = "config-set", description = "Sets config vars; a deployed app gets a new release without downtime.")
@Service
public class AppConfigSetCommand extends GuardedAction {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "KEY=value", required = true, multiValued = true, description = "The vars to set.")
    private List<String> assignments;

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
        Map<String, String> set = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + a + "' is not KEY=value.");
            }
            ConfigVarName key = ConfigVarName.of(a.substring(0, eq));
            set.put(key.value(), key.checkValue(a.substring(eq + 1)));
        }
        Release release = deploys.configure(AppName.of(name), set, Set.of(), new ShellBuildLog(System.out));
        System.out.println(release == null ? "Config of " + name + " saved; it applies from the first deploy."
                : "Config of " + name + " set; v" + release.number() + " serves.");
        return null;
    }
}
