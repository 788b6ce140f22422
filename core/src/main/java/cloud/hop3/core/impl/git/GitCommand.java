package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.TooLargeObjectInPackException;
import org.eclipse.jgit.errors.TooLargePackException;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UnpackErrorHandler;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.actor.CurrentActor;

/**
 * One git command over SSH: {@code git-receive-pack '<app>'} (a push) or
 * {@code git-upload-pack '<app>'} (a fetch or clone). Anything else is refused.
 *
 * <p>What the client reads is for the person pushing: the reason a push is refused, never an
 * exception, a stack trace or a path of the server. An internal failure is logged in full with a
 * short reference, and the client gets that reference.
 */
final class GitCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(GitCommand.class);
    private static final Pattern COMMAND = Pattern.compile("(git-receive-pack|git-upload-pack) +'?/?([^'\\s]*?)(?:\\.git)?/?'?");

    private final String commandLine;
    private final GitServer server;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String commandLine, GitServer server) {
        this.commandLine = commandLine;
        this.server = server;
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
        String address = channel.getSession().getClientAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "unknown";
        GitSessions sessions = server.sessions();
        GitSessions.Admission admission = sessions.submit(() -> run(keyName, address), () -> fail(
                "Hop3: " + sessions.limit() + " pushes and fetches are under way; this one waits for its turn."));
        if (admission == GitSessions.Admission.REFUSED) {
            LOG.warn("git command '{}' of key {} refused: {} sessions under way and as many waiting",
                    commandLine, keyName, sessions.limit());
            fail("Hop3: the git server is busy (" + sessions.limit() + " pushes and fetches under way, as many waiting);"
                    + " try again in a few minutes.");
            exit.onExit(1);
        }
    }

    private void run(String keyName, String address) {
        int status = 1;
        try {
            Optional<User> owner = server.access().ownerOfKey(keyName);
            if (owner.isEmpty()) {
                fail("Hop3: key '" + keyName + "' belongs to no user; an admin can give it to one with key:add --user.");
                return;
            }
            Actor actor = new Actor(owner.get().name(), Door.GIT, address);
            status = CurrentActor.as(actor, () -> serve(actor, keyName));
        } catch (Exception e) {
            fail(internalError("git command '" + commandLine + "' of key " + keyName + " failed", e));
        } finally {
            exit.onExit(status);
        }
    }

    /** Serves the command as {@code actor}, once allowed; returns the exit status. */
    private int serve(Actor actor, String keyName) {
        int status = 1;
        try {
            Matcher m = COMMAND.matcher(commandLine.strip());
            if (!m.matches()) {
                fail("Hop3 serves git only: push with git push ssh://git@<host>:<port>/<app> main");
                return status;
            }
            AppName app;
            try {
                app = AppName.of(m.group(2));
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
                return status;
            }
            boolean fetch = m.group(1).equals("git-upload-pack");
            server.access().check(actor, fetch ? Permission.READ : Permission.PUSH, Optional.of(app));
            if (fetch) {
                status = upload(app);
            } else {
                status = receive(app, keyName);
            }
        } catch (UnpackException e) {
            // the client was told why in the push's status report (see safeUnpackErrors)
            LOG.info("push '{}' of key {} refused: {}", commandLine, keyName, e.getCause() == null ? e : e.getCause().toString());
        } catch (AccessDeniedException e) {
            fail("Hop3: " + e.getMessage());
        } catch (Exception e) {
            fail(internalError("git command '" + commandLine + "' of key " + keyName + " failed", e));
        }
        return status;
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
            rp.setCheckReceivedObjects(true);
            rp.setObjectChecker(new ObjectChecker().setIgnore(EnumSet.of(
                    // quirks of old histories, harmless to a checkout; names and modes stay checked
                    ObjectChecker.ErrorType.ZERO_PADDED_FILEMODE, ObjectChecker.ErrorType.BAD_DATE,
                    ObjectChecker.ErrorType.BAD_EMAIL, ObjectChecker.ErrorType.BAD_TIMEZONE,
                    ObjectChecker.ErrorType.MISSING_EMAIL, ObjectChecker.ErrorType.MISSING_SPACE_BEFORE_DATE)));
            rp.setMaxPackSizeLimit(server.maxPushBytes());
            rp.setUnpackErrorHandler(safeUnpackErrors(rp.getUnpackErrorHandler(), app, keyName));
            rp.setAllowNonFastForwards(true);
            rp.setAllowDeletes(false);
            rp.setPreReceiveHook(new DeployOnPush(app, keyName, server.deploys(), server.workDirectory()));
            rp.receive(in, out, err);
        }
        return 0;
    }

    /**
     * The reason a pack was not stored, as the client reads it in the push's status report: the
     * push size limit, or the object that fails git's checks; anything else is internal.
     */
    private UnpackErrorHandler safeUnpackErrors(UnpackErrorHandler reporter, AppName app, String keyName) {
        return t -> {
            String reason;
            if (t instanceof TooLargePackException || t instanceof TooLargeObjectInPackException) {
                long mib = server.maxPushBytes() / (1024 * 1024);
                reason = "the push is larger than the " + mib + " MiB that this platform accepts (max_push_mb);"
                        + " leave build output and large files out of the repository";
            } else if (t instanceof CorruptObjectException) {
                reason = "the push holds an object that git's checks refuse: " + t.getMessage();
            } else {
                reason = internalError("push to " + app + " by key " + keyName + " failed while storing objects", t);
            }
            reporter.handleUnpackException(new IOException(reason));
        };
    }

    /** Logs an internal failure in full and returns what the client may read of it. */
    static String internalError(String what, Throwable t) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.warn("{} (reference {})", what, reference, t);
        return "Hop3: internal error (reference " + reference + "); the platform's log has the details.";
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
