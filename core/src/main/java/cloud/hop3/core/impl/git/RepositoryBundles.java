package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.plugin.support.files.Trees;

/**
 * An app's repository as a git bundle, for backups: written with every ref ({@code git bundle
 * create --all}), and read back into a fresh repository, through the same JGit that serves
 * pushes, so that no other git is needed. A bundle is a file that {@code git clone} reads too, so
 * a user can get their code out of a backup without the platform.
 */
public final class RepositoryBundles {

    private final GitRepositories repositories;
    private final Path apps;

    /** Bundles of the repositories of the installation whose state directory is {@code home}. */
    public RepositoryBundles(Path home) {
        this.repositories = new GitRepositories(home);
        this.apps = home.resolve("apps");
    }

    /**
     * Writes every ref of the app's repository, with the objects they reach, to {@code out}.
     *
     * @return false, writing nothing, when the app has no repository or no ref yet (never pushed)
     */
    public boolean write(AppName app, OutputStream out) throws IOException {
        if (!repositories.exists(app)) {
            return false;
        }
        try (Repository repo = repositories.open(app)) {
            List<Ref> refs = repo.getRefDatabase().getRefsByPrefix("refs/");
            if (refs.isEmpty()) {
                return false;
            }
            BundleWriter writer = new BundleWriter(repo);
            for (Ref ref : refs) {
                if (ref.getObjectId() != null) {
                    writer.include(ref.getName(), ref.getObjectId());
                }
            }
            writer.writeBundle(NullProgressMonitor.INSTANCE, out);
            return true;
        }
    }

    /**
     * Replaces the app's repository with the refs and objects of a bundle that {@link #write}
     * wrote.
     */
    public void restore(AppName app, InputStream bundle) throws IOException {
        Path dir = apps.resolve(app.value()).resolve("repo.git");
        if (Files.exists(dir)) {
            Trees.delete(dir);
        }
        try (Repository repo = repositories.open(app);
             Transport transport = new TransportBundleStream(repo, new URIish().setPath("backup.bundle"), bundle)) {
            transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/*:refs/*")));
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw new IOException("The repository's bundle cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Checks out the commit the deployed branch ({@code main}, else {@code master}) points at.
     *
     * @return the commit's abbreviated id, or empty when the repository has neither branch
     */
    public Optional<String> checkout(AppName app, Path target) throws IOException, DeployException {
        if (!repositories.exists(app)) {
            return Optional.empty();
        }
        try (Repository repo = repositories.open(app)) {
            for (String branch : List.of(DeployOnPush.MAIN, DeployOnPush.MASTER)) {
                Ref ref = repo.exactRef(branch);
                if (ref != null && ref.getObjectId() != null) {
                    ObjectId id = ref.getObjectId();
                    SourceCheckout.checkout(repo, id, target);
                    return Optional.of(id.abbreviate(7).name());
                }
            }
            return Optional.empty();
        }
    }

    /** The refs of the app's repository and what they point at, for tests and checks. */
    public Map<String, String> refs(AppName app) throws IOException {
        if (!repositories.exists(app)) {
            return Map.of();
        }
        try (Repository repo = repositories.open(app)) {
            Map<String, String> refs = new java.util.TreeMap<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix("refs/")) {
                if (ref.getObjectId() != null) {
                    refs.put(ref.getName(), ref.getObjectId().name());
                }
            }
            return refs;
        }
    }

    /**
     * The refs a bundle file names in its header and what they point at: what a backup records
     * for its {@code repo.bundle}.
     */
    public static Map<String, String> heads(Path bundle) throws IOException {
        Map<String, String> heads = new java.util.TreeMap<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(bundle))) {
            String first = headerLine(in);
            if (first == null || !first.startsWith("# v") || !first.endsWith(" git bundle")) {
                throw new IOException("not a git bundle");
            }
            for (String line; (line = headerLine(in)) != null && !line.isEmpty(); ) {
                if (line.startsWith("-") || line.startsWith("@")) {
                    continue; // a prerequisite, a capability
                }
                int space = line.indexOf(' ');
                if (space != 40) {
                    throw new IOException("not a git bundle header line: " + line);
                }
                heads.put(line.substring(space + 1), line.substring(0, space));
            }
        }
        return heads;
    }

    /** One line of a bundle's text header (the pack follows it: nothing beyond the line is read), or null at the end. */
    private static String headerLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            if (line.size() > 4096) {
                throw new IOException("not a git bundle header");
            }
            line.write(b);
        }
        return line.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a bundle whole into a new bare repository at {@code scratch}, with the objects its
     * refs reach (JGit checks each one and that nothing is missing), and returns the refs it got.
     */
    public static Map<String, String> fetchInto(InputStream bundle, Path scratch) throws IOException {
        try (Repository repo = org.eclipse.jgit.storage.file.FileRepositoryBuilder.create(scratch.toFile())) {
            repo.create(true);
            try (Transport transport = new TransportBundleStream(repo, new URIish().setPath("backup.bundle"), bundle)) {
                transport.setCheckFetchedObjects(true);
                transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/*:refs/*")));
            } catch (org.eclipse.jgit.errors.TransportException e) {
                throw new IOException("The repository's bundle cannot be read: " + e.getMessage(), e);
            }
            Map<String, String> refs = new java.util.TreeMap<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix("refs/")) {
                if (ref.getObjectId() != null) {
                    refs.put(ref.getName(), ref.getObjectId().name());
                }
            }
            return refs;
        }
    }
}
