package cloud.hop3.core.command.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import cloud.hop3.api.addon.AddonService;

/** Completes the add-on types whose plugin is installed. */
@Service
public class AddonTypeCompleter implements Completer {

    @Reference
    private AddonService addons;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter types = new StringsCompleter();
        addons.types().forEach(t -> types.getStrings().add(t.type()));
        return types.complete(session, commandLine, candidates);
    }
}
