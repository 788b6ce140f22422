package cloud.hop3.core.command;

import java.io.IOException;

import org.apache.karaf.shell.api.console.Session;

/** Asks before something destructive, unless the user said --force. */
final class Confirmation {

    private Confirmation() {
    }

    /**
     * @return true when the user confirmed (or forced)
     * @throws IllegalStateException when nobody can answer (no terminal), so the command stops
     */
    static boolean confirm(Session session, boolean force, String question) throws IOException {
        if (force) {
            return true;
        }
        String answer;
        try {
            answer = session.readLine(question + " Type yes to go on: ", null);
        } catch (IOException | RuntimeException e) {
            answer = null;
        }
        if (answer == null) {
            throw new IllegalStateException("Nothing was changed: there is no terminal to confirm on; add --force.");
        }
        return answer.strip().equalsIgnoreCase("yes");
    }
}
