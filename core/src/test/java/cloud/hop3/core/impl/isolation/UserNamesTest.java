package cloud.hop3.core.impl.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;

class UserNamesTest {

    @Test
    void aShortAppNameIsPrefixed() {
        assertEquals("hop3-shop", UserNames.of(AppName.of("shop")));
        assertEquals("hop3-" + "a".repeat(26), UserNames.of(AppName.of("a".repeat(26))));
    }

    @Test
    void aLongAppNameIsCutToWhatUseraddAcceptsAndKeepsApartFromItsNeighbours() {
        String common = "a-very-long-application-name-for-";
        String one = UserNames.of(AppName.of(common + "the-shop"));
        String two = UserNames.of(AppName.of(common + "the-blog"));
        assertEquals(UserNames.MAX_LENGTH, one.length());
        assertEquals(UserNames.MAX_LENGTH, two.length());
        assertNotEquals(one, two);
        assertTrue(one.startsWith("hop3-a-very-long-appl"), one);
        assertTrue(one.matches("[a-z][a-z0-9-]*"), one);
        String longest = UserNames.of(AppName.of("z".repeat(63)));
        assertEquals(UserNames.MAX_LENGTH, longest.length());
    }

    @Test
    void aShortNameNeverEqualsACutOne() {
        // the longest name kept whole has 31 characters, every cut one 32
        assertEquals(31, UserNames.of(AppName.of("b".repeat(26))).length());
        assertEquals(32, UserNames.of(AppName.of("b".repeat(27))).length());
    }

    @Test
    void theCommentNamesTheApp() {
        assertEquals("hop3 app shop", UserNames.comment(AppName.of("shop")));
    }
}
