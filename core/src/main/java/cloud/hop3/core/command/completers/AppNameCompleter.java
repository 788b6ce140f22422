package cloud.hop3.core.command.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import cloud.hop3.api.app.AppService;

/** Completes the names of existing apps. */
@Service
public class AppNameCompleter implements Completer {

    @Reference
    private AppService apps;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        apps.list().forEach(a -> names.getStrings().add(a.name().value()));
        return names.complete(session, commandLine, candidates);
    }
}
