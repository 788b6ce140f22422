package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;

/**
 * One git command over SSH: {@code git-receive-pack '<app>'} (a push) or
 * {@code git-upload-pack '<app>'} (a fetch or clone). Anything else is refused.
 */
final class GitCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(GitCommand.class);
    private static final Pattern COMMAND = Pattern.compile("(git-receive-pack|git-upload-pack) +'?/?([^'\\s]*?)(?:\\.git)?/?'?");

    private final String commandLine;
    private final GitServer server;
    private final ExecutorService executor;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String commandLine, GitServer server, ExecutorService executor) {
        this.commandLine = commandLine;
        this.server = server;
        this.executor = executor;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        String keyName = channel.getSession().getAttribute(GitServer.KEY_NAME);
        executor.execute(() -> run(keyName));
    }

    private void run(String keyName) {
        int status = 1;
        try {
            Matcher m = COMMAND.matcher(commandLine.strip());
            if (!m.matches()) {
                fail("Hop3 serves git only: push with git push ssh://git@<host>:<port>/<app> main");
                return;
            }
            AppName app;
            try {
                app = AppName.of(m.group(2));
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
                return;
            }
            if (m.group(1).equals("git-upload-pack")) {
                status = upload(app);
            } else {
                status = receive(app, keyName);
            }
        } catch (Exception e) {
            LOG.warn("git command '{}' failed", commandLine, e);
            fail("Hop3: " + e.getMessage());
        } finally {
            exit.onExit(status);
        }
    }

    private int upload(AppName app) throws IOException {
        if (!server.repositories().exists(app)) {
            fail("There is no app '" + app + "' to fetch from.");
            return 1;
        }
        try (Repository repo = server.repositories().open(app)) {
            new UploadPack(repo).upload(in, out, err);
        }
        return 0;
    }

    private int receive(AppName app, String keyName) throws IOException {
        server.ensureApp(app, keyName);
        try (Repository repo = server.repositories().open(app)) {
            ReceivePack rp = new ReceivePack(repo);
            rp.setAllowNonFastForwards(true);
            rp.setAllowDeletes(false);
            rp.setPreReceiveHook(new DeployOnPush(app, keyName, server.deploys(), server.workDirectory()));
            rp.receive(in, out, err);
        }
        return 0;
    }

    private void fail(String message) {
        try {
            err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            LOG.debug("client went away before '{}'", message);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        // the command thread ends when its streams close
    }
}
