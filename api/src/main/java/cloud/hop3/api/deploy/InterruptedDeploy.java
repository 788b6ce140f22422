package cloud.hop3.api.deploy;

import java.time.Instant;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.app.AppName;

/**
 * A deploy that a stop of the platform (a crash, kill -9, an out-of-memory exit) interrupted:
 * found when the platform started again. Nothing of it was kept: its build folder and its
 * unfinished release were removed, and the app serves the release it served before.
 *
 * @param app      the app
 * @param revision the git revision that was being deployed
 * @param actor    who started the deploy, through which door
 * @param started  when the deploy started
 * @param found    when the next start of the platform found it interrupted
 */
public record InterruptedDeploy(AppName app, String revision, Actor actor, Instant started, Instant found) {

    public InterruptedDeploy {
        if (app == null || revision == null || actor == null || started == null || found == null) {
            throw new IllegalArgumentException("An interrupted deploy names its app, revision, actor and times");
        }
    }
}
