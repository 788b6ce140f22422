package cloud.hop3.core.command.completers;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupService;

/** Completes the ids of the backups in the store in use; none when the store cannot be read. */
@Service
public class BackupIdCompleter implements Completer {

    @Reference
    private BackupService backups;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        try {
            backups.list(Optional.empty()).forEach(b -> ids.getStrings().add(b.manifest().id().value()));
        } catch (BackupException e) {
            // no store, or it cannot be read: nothing to offer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ids.complete(session, commandLine, candidates);
    }
}
