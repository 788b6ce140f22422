package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Deploys a push before its branch is updated: the objects are in the repository, the ref is
 * not moved yet. A deploy that fails rejects the push, so {@code git push} exits non-zero with
 * the reason and the branch keeps pointing at what serves.
 */
final class DeployOnPush implements PreReceiveHook {

    private static final Logger LOG = LoggerFactory.getLogger(DeployOnPush.class);
    static final String MAIN = Constants.R_HEADS + "main";
    static final String MASTER = Constants.R_HEADS + "master";

    private final AppName app;
    private final String keyName;
    private final DeployService deploys;
    private final Path workDirectory;

    DeployOnPush(AppName app, String keyName, DeployService deploys, Path workDirectory) {
        this.app = app;
        this.keyName = keyName;
        this.deploys = deploys;
        this.workDirectory = workDirectory;
    }

    @Override
    public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        SidebandBuildLog log = new SidebandBuildLog(rp.getMessageOutputStream());
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            String ref = cmd.getRefName();
            if (!ref.equals(MAIN) && !ref.equals(MASTER)) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
                        "Hop3 deploys the main branch: git push <remote> "
                                + org.eclipse.jgit.lib.Repository.shortenRefName(ref) + ":main");
                continue;
            }
            if (cmd.getType() == ReceiveCommand.Type.DELETE) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_NODELETE, "the deployed branch cannot be deleted");
                continue;
            }
            deploy(rp, cmd, log);
        }
    }

    private void deploy(ReceivePack rp, ReceiveCommand cmd, SidebandBuildLog log) {
        String revision = cmd.getNewId().abbreviate(7).name();
        Path build = null;
        try {
            Files.createDirectories(workDirectory);
            build = Files.createTempDirectory(workDirectory, app + "-" + revision + "-");
            Path source = build.resolve("src");
            int submodules = SourceCheckout.checkout(rp.getRepository(), cmd.getNewId(), source);
            if (submodules > 0) {
                log.warn(submodules + " submodule(s) left out: Hop3 deploys the files of the repository itself");
            }
            Release release = deploys.deploy(app, source, revision, log);
            log.step("Deployed " + app + " v" + release.number() + " (" + revision + ")");
            LOG.info("App {} v{} deployed from {} by key {}", app, release.number(), revision, keyName);
        } catch (DeployException e) {
            log.warn("Deploy failed: " + e.getMessage());
            cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deploy failed: " + firstLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deploy interrupted: the platform is stopping");
        } catch (IOException | RuntimeException e) {
            // the exception names paths and classes of the server: the pusher gets a reference
            String said = GitCommand.internalError("Deploy of " + app + " " + revision + " by key " + keyName + " failed", e);
            log.warn("Deploy failed: " + said);
            cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deploy failed: internal error, see the platform log");
        } finally {
            if (build != null) {
                try {
                    Trees.delete(build);
                } catch (IOException e) {
                    LOG.warn("Cannot remove build directory {}: {}", build, e.getMessage());
                }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
