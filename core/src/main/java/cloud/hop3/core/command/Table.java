package cloud.hop3.core.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.support.table.Row;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A list for the shell: a {@link ShellTable} for people, or, with {@code --no-format}, plain
 * tab-separated lines without padding or header, for scripts.
 */
final class Table {

    private final ShellTable table = new ShellTable();
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... columns) {
        for (String c : columns) {
            table.column(c);
        }
    }

    Table empty(String text) {
        table.emptyTableText(text);
        return this;
    }

    void row(Object... cells) {
        Row row = table.addRow();
        List<String> plain = new ArrayList<>();
        for (Object cell : cells) {
            row.addContent(cell);
            plain.add(String.valueOf(cell).replace('\t', ' ').replace('\n', ' '));
        }
        rows.add(plain);
    }

    void print(PrintStream out, boolean noFormat) {
        if (noFormat) {
            rows.forEach(r -> out.println(String.join("\t", r)));
        } else {
            table.print(out, true);
        }
    }
}
