package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;

@Command(scope = "app", name = "create", description = "Creates an app without deploying it.")
@Service
public class AppCreateCommand implements Action {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "name", required = true, description = "The app's name: lower-case letters, digits and hyphens, starting with a letter.")
    private String name;

    @Override
    public Object execute() {
        AppName app = AppName.of(name);
        apps.create(app);
        System.out.println("Created app " + app + ".");
        return null;
    }
}
