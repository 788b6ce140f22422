package cloud.hop3.core.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "scale", description = "Sets how many processes of each type run, for example web=2 worker=1.")
@Service
public class AppScaleCommand implements Action {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "type=count", required = true, multiValued = true, description = "Process counts, such as web=2.")
    private List<String> counts;

    @Override
    public Object execute() throws Exception {
        Map<String, Integer> formation = new LinkedHashMap<>();
        for (String c : counts) {
            String[] parts = c.split("=", 2);
            if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("'" + c + "' is not type=count, such as web=2.");
            }
            formation.put(parts[0], Integer.parseInt(parts[1]));
        }
        deploys.scale(AppName.of(name), formation, new ShellBuildLog(System.out));
        System.out.println("App " + name + " scaled.");
        return null;
    }
}
