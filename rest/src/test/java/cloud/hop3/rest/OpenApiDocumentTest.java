package cloud.hop3.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/** The OpenAPI document the API serves: valid, and saying exactly what the code dispatches. */
class OpenApiDocumentTest {

    private static final Services NONE = new Services(() -> null, () -> null, () -> null, () -> null, () -> null,
            () -> null, () -> null, () -> null, () -> null, () -> null, () -> null);
    private static final Logins LOGINS = TestRealm.logins(NONE, new LoginThrottle(1, java.time.Duration.ofMinutes(1),
            java.time.Clock.systemUTC()), java.time.Clock.systemUTC());

    private static SwaggerParseResult parse() {
        String text = new String(Api.resource(Routes.OPENAPI), StandardCharsets.UTF_8);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(text, null, options);
    }

    @Test
    void theDocumentIsValidOpenApi3WithoutASingleMessage() {
        SwaggerParseResult result = parse();
        assertNotNull(result.getOpenAPI(), () -> "not parsed: " + result.getMessages());
        assertEquals(java.util.List.of(), result.getMessages());
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3."));
    }

    @Test
    void everyRouteIsInTheDocumentAndEveryOperationOfTheDocumentIsARoute() {
        OpenAPI doc = parse().getOpenAPI();
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, PathItem> e : doc.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : e.getValue().readOperationsMap().entrySet()) {
                documented.add(op.getKey() + " " + e.getKey());
            }
        }
        Set<String> dispatched = new TreeSet<>();
        for (Route r : new Router(Routes.all(NONE, LOGINS)).routes()) {
            dispatched.add(r.key());
        }
        Set<String> undocumented = new TreeSet<>(dispatched);
        undocumented.removeAll(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(dispatched);
        assertEquals(Set.of(), undocumented, "routes the code dispatches that the document does not list");
        assertEquals(Set.of(), missing, "operations of the document that no route dispatches");
    }

    @Test
    void everyOperationThatNeedsATokenSaysWhichPermissionItNeeds() {
        OpenAPI doc = parse().getOpenAPI();
        for (Route r : new Router(Routes.all(NONE, LOGINS)).routes()) {
            Operation op = doc.getPaths().get(r.template()).readOperationsMap().get(PathItem.HttpMethod.valueOf(r.method()));
            if (r.open()) {
                assertEquals(java.util.List.of(), op.getSecurity(), r.key() + " needs no token, and says so");
            } else if (r.permission() == null) {
                assertEquals(null, op.getSecurity(), r.key() + " needs a login, as the document's default says");
                String said = op.getDescription() == null ? "" : op.getDescription();
                assertTrue(said.contains("Needs a login and no permission"), r.key() + " needs a login only, the document says: " + said);
            } else {
                String said = op.getDescription() == null ? "" : op.getDescription();
                String perm = r.permission().name().toLowerCase(java.util.Locale.ROOT).replace('_', '/');
                assertTrue(said.contains("Needs the " + perm + " permission"), r.key() + " needs " + perm + ", the document says: " + said);
            }
        }
    }
}
