package cloud.hop3.core.impl.manifest;

import java.util.OptionalInt;

/**
 * An app's Procfile, hop3.toml or app.json cannot be used. The message names the file and, where
 * there is one, the line, so that the developer who pushed can fix it at once:
 * {@code Procfile line 3: ...}, {@code hop3.toml line 7: unknown field 'bulid' in [build]},
 * {@code app.json line 2, column 5: ...}.
 */
public final class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /** A problem with the file as a whole (its size, its encoding). */
    public ManifestException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.line = 0;
    }

    /**
     * A problem on one line.
     *
     * @param line 1-based; 0 or less when the line is not known, and the message then names the file only
     */
    public ManifestException(String file, int line, String problem) {
        super(line > 0 ? file + " line " + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = Math.max(line, 0);
    }

    /** A problem at a line and column, as JSON parsers report them. */
    public ManifestException(String file, int line, int column, String problem) {
        super(line > 0 && column > 0 ? file + " line " + line + ", column " + column + ": " + problem
                : line > 0 ? file + " line " + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = Math.max(line, 0);
    }

    /** The file at fault: {@code Procfile}, {@code hop3.toml} or {@code app.json}. */
    public String file() {
        return file;
    }

    /** The 1-based line at fault, when known. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }
}
