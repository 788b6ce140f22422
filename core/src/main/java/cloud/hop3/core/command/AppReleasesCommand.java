package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.app.Release;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "releases", description = "Lists an app's releases, newest first.")
@Service
public class AppReleasesCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        AppInfo info = apps.find(app).orElseThrow(() -> new IllegalArgumentException("App '" + app + "' does not exist."));
        Table table = new Table("Release", "Build", "Reason", "Formation", "Created");
        table.empty("No releases yet: deploy with git push.");
        List<Release> releases = info.releases();
        for (int i = releases.size() - 1; i >= 0; i--) {
            Release r = releases.get(i);
            String formation = r.formation().counts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            table.row("v" + r.number() + (i == releases.size() - 1 ? " (current)" : ""), r.artifact(),
                    r.reason(), formation, AppListCommand.TIME.format(r.created()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
