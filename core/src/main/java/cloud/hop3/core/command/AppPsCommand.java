package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "ps", description = "Lists an app's processes with their state, port and restarts.")
@Service
public class AppPsCommand extends GuardedAction {

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
        Table table = new Table("Process", "State", "Release", "Port", "Restarts", "Since", "Last exit");
        table.empty("No processes run. Deploy the app with git push, or start it with app:start.");
        for (ProcessStatus p : apps.processes(AppName.of(name))) {
            table.row(p.type() + "." + p.index(), p.state().name().toLowerCase(), "v" + p.release(),
                    p.port() > 0 ? String.valueOf(p.port()) : "-", p.restarts(), AppListCommand.TIME.format(p.since()),
                    p.lastExit() == null ? "-" : p.lastExit());
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** "web: 2 running, worker: 1 crashed". */
    static String summary(List<ProcessStatus> processes) {
        Map<String, Map<String, Long>> byType = new TreeMap<>();
        for (ProcessStatus p : processes) {
            byType.computeIfAbsent(p.type(), t -> new TreeMap<>()).merge(p.state().name().toLowerCase(), 1L, Long::sum);
        }
        return byType.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().entrySet().stream()
                .map(s -> s.getValue() + " " + s.getKey()).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }
}
