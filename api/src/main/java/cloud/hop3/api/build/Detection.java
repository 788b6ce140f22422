package cloud.hop3.api.build;

/**
 * A builder's claim on a source tree.
 *
 * @param priority higher wins when several builders detect the same tree; language builders use
 *                 100, generic fall-backs 10
 * @param reason   what was found, shown to the user ("found public/index.html")
 */
public record Detection(int priority, String reason) {
}
