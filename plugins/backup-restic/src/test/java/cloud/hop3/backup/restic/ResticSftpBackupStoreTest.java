package cloud.hop3.backup.restic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.RefusingPort;

/**
 * The restic store on an SFTP repository served by a second sshd on loopback that the test
 * starts (its own host key, checked through a known_hosts file, and its own client key): the
 * contract and the restic tests again, the repository reached through {@code sftpCommand}.
 */
class ResticSftpBackupStoreTest extends ResticBackupStoreTest {

    private static SftpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = SftpServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String repositoryAt(java.nio.file.Path path) {
        return server.repository(path);
    }

    @Override
    String sftpCommand() {
        return server.sftpCommand();
    }

    @Test
    void anUnreachableServerIsReportedInTheWordsOfSshAndRestic() throws Exception {
        BackupException refused;
        try (RefusingPort closed = RefusingPort.open()) {
            ResticBackupStore unreachable = new ResticBackupStore(ComponentConfig.of(ResticBackupStore.Config.class,
                    "repository", repository(), "passwordFile", passwordFile.toString(),
                    "sftpCommand", sftpCommand().replaceFirst("-p \\d+", "-p " + closed.port())), home.resolve("other-state"));

            refused = assertThrows(BackupException.class, unreachable::list);
        }

        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        assertTrue(refused.getMessage().contains(repository()), refused.getMessage());
    }
}
