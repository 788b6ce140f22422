package cloud.hop3.addon.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Admin URLs in, credentials' URLs out, and the quoting of what goes into SQL. */
class PostgresConnectionTest {

    @Test
    void anAdminUrlIsReadWithItsEncodedPassword() {
        PostgresConnection c = PostgresConnection.parse("postgres://admin:p%40ss%2Fw+rd@db.example.org:5999/main");
        assertEquals(new PostgresConnection("db.example.org", 5999, "admin", "p@ss/w+rd", "main"), c);
        assertEquals(5432, PostgresConnection.parse("postgresql://a:b@h").port());
        assertEquals("postgres", PostgresConnection.parse("postgresql://a:b@h:1/").database());
    }

    @Test
    void aBadAdminUrlIsRefusedWithoutShowingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresConnection.parse("mysql://admin:secret@h/db"));
        assertFalse(e.getMessage().contains("secret"));
        assertThrows(IllegalArgumentException.class, () -> PostgresConnection.parse("postgres://admin@h/db"));
        assertThrows(IllegalArgumentException.class, () -> PostgresConnection.parse("postgres://a b:c@h/db"));
    }

    @Test
    void urlsEncodeUserAndPasswordAndReadBack() {
        PostgresConnection c = new PostgresConnection("127.0.0.1", 5433, "shop_db", "a b@c/d:e+f", "shop_db");
        assertEquals("postgres://shop_db:a%20b%40c%2Fd%3Ae%2Bf@127.0.0.1:5433/shop_db", c.url());
        assertEquals(c, PostgresConnection.parse(c.url()));
        assertEquals(c, PostgresConnection.of(c.credentials()));
        assertFalse(c.toString().contains("a b@c"));
    }

    @Test
    void identifiersAndLiteralsAreQuoted() {
        assertEquals("\"shop\"\"db\"", Psql.identifier("shop\"db"));
        assertEquals("E'it''s a \\\\ test'", Psql.literal("it's a \\ test"));
        assertThrows(IllegalArgumentException.class, () -> Psql.literal("nul\0"));
        assertTrue(EmbeddedPostgres.password().matches("[A-Za-z0-9_-]{32}"));
    }
}
