package cloud.hop3.core.impl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

    private static final String LABEL_RULE = "': each part between dots has 1 to 63 letters, digits or inner hyphens.";

    private static String refused(String host) {
        return assertThrows(IllegalArgumentException.class, () -> HostNames.check(host)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"www.example.org", "example.org", "a.b", "shop-1.example.co.uk", "1.example.org",
            "xn--bcher-kva.example"})
    void acceptsFullHostNames(String host) {
        assertEquals(host, HostNames.check(host));
    }

    @Test
    void foldsCaseAndDropsTheTrailingDotAndSurroundingBlanks() {
        assertEquals("www.example.org", HostNames.check("WWW.Example.ORG"));
        assertEquals("www.example.org", HostNames.check("www.example.org."));
        assertEquals("www.example.org", HostNames.check("  Www.Example.Org.\t"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void aMissingNameAsksForOne(String host) {
        assertEquals("A host name is required, such as www.example.org.", refused(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "shop", "Shop."})
    void aSingleLabelAsksForAFullName(String host) {
        String shown = host.toLowerCase().replace(".", "");
        assertEquals("Invalid host name '" + shown + "': give a full name such as www.example.org.", refused(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-www.example.org", "www-.example.org", "www..example.org", ".example.org",
            "www.example.org..", "*.example.org", "_dmarc.example.org", "www.exa mple.org", "www.example.org/path",
            "user@example.org", "example.org:8080"})
    void badLabelsAreRefusedWithTheRule(String host) {
        String name = host.toLowerCase().endsWith(".") ? host.substring(0, host.length() - 1) : host;
        assertEquals("Invalid host name '" + name + LABEL_RULE, refused(host));
    }

    @Test
    void nonAsciiAndControlCharactersAreShownAsQuestionMarks() {
        assertEquals("Invalid host name 'b?cher.example" + LABEL_RULE, refused("bücher.example"));
        assertEquals("Invalid host name 'www.exa?mple.org" + LABEL_RULE, refused("www.exa\u0000mple.org"));
        assertEquals("Invalid host name 'www.exa?mple.org" + LABEL_RULE, refused("www.exa\u001bmple.org"));
    }

    @Test
    void aLabelHasAtMost63Characters() {
        String label63 = "a".repeat(63);
        assertEquals(label63 + ".example.org", HostNames.check(label63 + ".example.org"));
        assertEquals("Invalid host name '" + label63 + "b.example.org" + LABEL_RULE, refused(label63 + "b.example.org"));
    }

    @Test
    void aNameHasAtMost253CharactersNotCountingTheTrailingDot() {
        String name253 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertEquals(253, name253.length());
        assertEquals(name253, HostNames.check(name253));
        assertEquals(name253, HostNames.check(name253.toUpperCase() + "."));

        String name254 = name253 + "d";
        String message = refused(name254);
        assertEquals("Invalid host name '" + "a".repeat(60) + "...': at most 253 characters.", message);
    }

    @Test
    void aVeryLongNameIsNotEchoedInFull() {
        String message = refused("x".repeat(100_000) + ".org");
        assertTrue(message.length() < 120, message);
        assertTrue(message.endsWith("...': at most 253 characters."), message);
    }
}
