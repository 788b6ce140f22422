package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.Retention;

/** What the backup commands print and refuse, and who may run them. */
class BackupCommandsTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final Instant NOW = Instant.parse("2026-12-05T17:00:00Z");

    @Test
    void theHealthLineSaysWhenTheLastGoodBackupWasAndTheFailuresSince() {
        BackupHealth good = new BackupHealth(SHOP, Optional.empty(), Optional.of(NOW.minus(Duration.ofHours(3))), 0,
                Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals("last good backup 3 h ago", BackupListCommand.health(good, NOW));
        BackupHealth failing = new BackupHealth(SHOP,
                Optional.of(new BackupSchedule("0 3 * * *", new Retention(7, 0, 0, 0))),
                Optional.of(NOW.minus(Duration.ofDays(3))), 4, Optional.of("The dump of add-on shop-db (postgres) is empty."),
                Optional.of(Instant.parse("2026-12-06T03:00:00Z")), Optional.empty());
        assertEquals("last good backup 3 days ago, 4 failures since: The dump of add-on shop-db (postgres) is empty.;"
                + " scheduled '0 3 * * *' UTC, keep last 7, daily 0, weekly 0, monthly 0, next 2026-12-06 03:00:00Z",
                BackupListCommand.health(failing, NOW));
        BackupHealth never = new BackupHealth(SHOP, Optional.empty(), Optional.empty(), 1, Optional.of("No backup store"),
                Optional.empty(), Optional.empty());
        assertEquals("no good backup yet, 1 failure since: No backup store", BackupListCommand.health(never, NOW));
        BackupHealth failedCheck = new BackupHealth(SHOP, Optional.empty(), Optional.of(NOW.minus(Duration.ofHours(2))), 0,
                Optional.empty(), Optional.empty(), Optional.of(new BackupInfo.RestoreCheck(NOW.minus(Duration.ofHours(2)), false,
                "addon-shop-db.dump (postgres): public.t is 150 after the restore, 200 when backed up")));
        assertEquals("last good backup 2 h ago; last restore check FAILED 2 h ago: addon-shop-db.dump (postgres): public.t is"
                + " 150 after the restore, 200 when backed up", BackupListCommand.health(failedCheck, NOW));
    }

    @Test
    void deleteAsksForTheIdAgainAndChangesNothingWithout() {
        // no service: a delete that got past the confirmation would fail with a NullPointerException
        BackupDeleteCommand delete = new BackupDeleteCommand(null, "shop-20261205t170000z-3f2a", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, delete::run);
        assertTrue(e.getMessage().contains("backup:delete --confirm shop-20261205t170000z-3f2a shop-20261205t170000z-3f2a"),
                e.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                new BackupVerifyCommand(null, "../etc")::execute);
        assertTrue(invalid.getMessage().contains("Invalid backup id"), invalid.getMessage());
    }

    /**
     * Every backup command has its ACL line: viewers list, show and verify; deployers also change,
     * and check, which makes scratch databases.
     */
    @Test
    void everyBackupCommandHasItsAclLine() throws Exception {
        String features = Files.readString(Path.of("..", "features", "src", "main", "resources", "features.xml"));
        Matcher acl = Pattern.compile("<config name=\"org.apache.karaf.command.acl.backup\">(.*?)</config>", Pattern.DOTALL)
                .matcher(features);
        assertTrue(acl.find(), "features.xml has the ACL of the backup scope");
        Map<String, String> lines = acl.group(1).lines().map(String::strip).filter(l -> !l.startsWith("#") && l.contains(" = "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3)));
        List<Class<?>> commands = List.of(BackupCreateCommand.class, BackupListCommand.class, BackupInfoCommand.class,
                BackupVerifyCommand.class, BackupRestoreCommand.class, BackupDeleteCommand.class, BackupScheduleCommand.class,
                BackupUnscheduleCommand.class, BackupCheckCommand.class);
        try (var files = Files.list(Path.of("src", "main", "java", "cloud", "hop3", "core", "command"))) {
            assertEquals(commands.size(), files.filter(f -> f.getFileName().toString().matches("Backup.*Command\\.java")).count(),
                    "every backup command is in this list");
        }
        for (Class<?> c : commands) {
            String name = c.getAnnotation(org.apache.karaf.shell.api.action.Command.class).name();
            String expected = List.of("list", "info", "verify").contains(name) ? "admin, deployer, viewer" : "admin, deployer";
            assertEquals(expected, lines.get(name), "ACL of backup:" + name);
        }
    }
}
