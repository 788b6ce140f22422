package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "scale", description = "Sets how many processes of each type run, for example web=2 worker=1.")
@Service
public class AppScaleCommand extends GuardedAction {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "type=count", required = true, multiValued = true, description = "Process counts, such as web=2.")
    private List<String> counts;

    @Override
    Permission permission() {
        return Permission.SCALE;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        Formation formation = Formation.none();
        for (String c : counts) {
            String[] parts = c.split("=", 2);
            if (parts.length != 2 || !parts[1].matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("'" + c + "' is not type=count, such as web=2.");
            }
            String problem = ProcessType.problem(parts[0]);
            if (problem != null) {
                throw new IllegalArgumentException("Cannot scale " + app + ": " + problem + ".");
            }
            ProcessType type = ProcessType.of(parts[0]);
            formation = formation.with(type, Formation.checkCount(type.value(), Integer.parseInt(parts[1])));
        }
        deploys.scale(app, formation.counts(), new ShellBuildLog(System.out));
        System.out.println("App " + name + " scaled.");
        return null;
    }
}
