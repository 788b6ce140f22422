package cloud.hop3.core.impl.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import cloud.hop3.api.app.AppName;

/** The bare repository of each app, {@code HOP3_HOME/apps/<app>/repo.git}. */
final class GitRepositories {

    private final Path apps;

    GitRepositories(Path home) {
        this.apps = home.resolve("apps");
    }

    /** Opens the app's repository, creating it (bare, HEAD on main) when it does not exist. */
    synchronized Repository open(AppName app) throws IOException {
        File dir = apps.resolve(app.value()).resolve("repo.git").toFile();
        Repository repo = new FileRepositoryBuilder().setGitDir(dir).setBare().build();
        if (!Files.exists(dir.toPath().resolve("HEAD"))) {
            repo.create(true);
            RefUpdate head = repo.getRefDatabase().newUpdate(Constants.HEAD, false);
            head.link(Constants.R_HEADS + "main");
        }
        return repo;
    }

    /** Whether the app has a repository (it was pushed to). */
    boolean exists(AppName app) {
        return Files.exists(apps.resolve(app.value()).resolve("repo.git").resolve("HEAD"));
    }
}
