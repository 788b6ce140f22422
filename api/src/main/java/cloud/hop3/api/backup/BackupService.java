package cloud.hop3.api.backup;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;

/**
 * Backups for front ends (shell commands, REST, dashboard), provided by core. Every method checks
 * its input and changes nothing when it throws. A failed backup is loud: an ERROR log line, a
 * {@code cloud/hop3/backup/FAILED} event, and {@link #health} until a backup succeeds again.
 */
@ProviderType
public interface BackupService {

    /**
     * Takes a backup of an app into the store in use: its git repository, its config (still
     * encrypted), releases and formation, domains, its {@code DATA_DIR}, and a consistent dump of
     * each attached add-on. A step that fails or a dump that comes back empty fails the whole
     * backup, which is then not stored.
     */
    BackupInfo create(AppName app, BuildLog log) throws BackupException, InterruptedException;

    /** Backups in the store in use, newest first; only the app's when one is given. */
    List<BackupInfo> list(Optional<AppName> app) throws BackupException, InterruptedException;

    /** One backup; {@link BackupException} when the store has none of that id. */
    BackupInfo info(BackupId id) throws BackupException, InterruptedException;

    /**
     * Reads every part back from the store and checks it against the manifest.
     *
     * @throws BackupException naming the first part that is missing or does not match
     */
    BackupInfo verify(BackupId id) throws BackupException, InterruptedException;

    /**
     * Restores a backup: onto its own app (replacing its repository, config, data and add-on
     * data), or, with {@code to}, as a new app of that name with new add-ons of the same types,
     * leaving the original untouched. The restored app is deployed from its restored repository.
     * Nothing is changed when the backup does not verify.
     *
     * @return the app restored
     */
    AppName restore(BackupId id, Optional<AppName> to, BuildLog log)
            throws BackupException, DeployException, InterruptedException;

    /**
     * Checks a backup by restoring it into a scratch place: each add-on dump into a scratch add-on
     * of its type (never attached, dropped afterwards) whose row or key counts are compared with
     * those recorded when the backup was taken, the data archive into a scratch folder (its files
     * and bytes), the repository bundle (its refs), and the app's state. The result is kept next
     * to the backup and shown by {@link #list} and {@link #info}; a failed check is loud: an ERROR
     * line and a {@code cloud/hop3/backup/CHECK_FAILED} event.
     *
     * @return the backup with the check's result, passed or not
     * @throws BackupException when the backup cannot be read from its store at all
     */
    BackupInfo check(BackupId id) throws BackupException, InterruptedException;

    /**
     * Takes a backup of the platform: a backup of every app as {@link #create} takes it, and the
     * platform's own state that a new installation needs to stand in for this one: the keys that
     * encrypt config vars, the push keys, the git server's host key, and the certificate issuers'
     * state (the local CA, the ACME account). One backup, one manifest; it fails as a whole.
     */
    BackupInfo createPlatform(BuildLog log) throws BackupException, InterruptedException;

    /**
     * Restores a backup of the platform onto this installation, which holds none of its apps: the
     * old keys are added to this installation's (its config vars and its app backups stay
     * readable), its push keys and git host key are taken over (the same {@code git push} remote
     * works), the issuers' state is put back, then every app is restored with new add-ons and
     * deployed. The backup is verified first, and nothing is changed when that fails or when one
     * of its apps exists here, unless {@code skipExisting}: then the apps that exist are left as
     * they are (the way to finish a restore after one of its apps failed, once it is fixed or
     * destroyed). An app that fails to restore does not stop the others: the result says which
     * and why.
     */
    PlatformRestore restorePlatform(BackupId id, boolean skipExisting, BuildLog log)
            throws BackupException, InterruptedException;

    /** Removes a backup from the store. */
    void delete(BackupId id) throws BackupException, InterruptedException;

    /** Sets an app's schedule and retention, replacing any it had. */
    void schedule(AppName app, BackupSchedule schedule) throws BackupException;

    /** Removes an app's schedule; its backups stay. */
    void unschedule(AppName app) throws BackupException;

    /** How an app's backups stand. */
    BackupHealth health(AppName app) throws BackupException;
}
