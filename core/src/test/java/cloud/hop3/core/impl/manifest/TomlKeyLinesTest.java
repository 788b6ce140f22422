package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class TomlKeyLinesTest {

    private static final String DOC = """
            # [not] = "a table"
            top = 1                       # trailing = comment
            [build]
            before-build = [
                "a = 1",
                '[run]',
                { inline = "x", "quoted key" = 2 },
            ]
            build = \"\"\"
            fake = "key"
            [fake]
            \"\"\"
            license = '''
            ''' # literal
            "dotted.quoted" = 1
            site.name = "x"

            [[provider]]
            name = "a"
            [[provider]]
            name = "b"
            [run.workers]
            worker = "./w"
            [ 'env' ]
            A = "\\" = not a key"
            B = 2
            """;

    private static int line(String... path) {
        return TomlKeyLines.scan(DOC).line(List.of(path));
    }

    @Test
    void findsKeysAndTables() {
        assertEquals(2, line("top"));
        assertEquals(3, line("build"));
        assertEquals(4, line("build", "before-build"));
        assertEquals(7, line("build", "before-build", "inline"));
        assertEquals(7, line("build", "before-build", "quoted key"));
        assertEquals(9, line("build", "build"));
        assertEquals(13, line("build", "license"));
        assertEquals(15, line("build", "dotted.quoted"));
        assertEquals(16, line("build", "site"));
        assertEquals(16, line("build", "site", "name"));
        assertEquals(18, line("provider"));
        assertEquals(19, line("provider", "name"), "the first element of an array of tables");
        assertEquals(22, line("run"), "a header records its prefixes");
        assertEquals(22, line("run", "workers"));
        assertEquals(23, line("run", "workers", "worker"));
        assertEquals(24, line("env"));
        assertEquals(25, line("env", "A"));
        assertEquals(26, line("env", "B"));
    }

    @Test
    void isNotFooledByStringsAndComments() {
        assertEquals(0, line("not"));
        assertEquals(0, line("fake"));
        assertEquals(0, line("build", "fake"));
        assertEquals(0, line("build", "a"));
    }

    @Test
    void fallsBackToTheClosestAncestor() {
        TomlKeyLines lines = TomlKeyLines.scan(DOC);

        assertEquals(23, lines.lineOrAncestor(List.of("run", "workers", "worker", "deeper")));
        assertEquals(0, lines.lineOrAncestor(List.of("nothing", "here")));
    }

    @Test
    void findsTheFirstDuplicateInATable() {
        assertEquals(4, TomlKeyLines.scan("[a]\nx = 1\ny = 2\nx = 3\n[b]\ny = 1\n").duplicateLine());
        assertEquals(0, TomlKeyLines.scan("[[p]]\nx = 1\n[[p]]\nx = 2\n").duplicateLine(), "each element is its own table");
        assertEquals(0, TomlKeyLines.scan("a = [{x = 1}, {x = 2}]\n").duplicateLine());
    }

    @Test
    void stopsQuietlyOnTextItDoesNotUnderstand() {
        TomlKeyLines lines = TomlKeyLines.scan("a = 1\n= = =\nb = 2\n");

        assertEquals(1, lines.line(List.of("a")));
        assertEquals(0, lines.line(List.of("b")));
        assertEquals(0, TomlKeyLines.scan("x = " + "[".repeat(10_000)).line(List.of("y")));
    }
}
