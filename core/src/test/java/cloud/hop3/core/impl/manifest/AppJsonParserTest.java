package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.HealthCheck;

class AppJsonParserTest {

    private static ManifestException failure(String json) {
        return assertThrows(ManifestException.class, () -> AppJsonParser.parse(json));
    }

    @Test
    void readsWhatMapsToTheModelAndIgnoresTheRest() throws ManifestException {
        AppJson a = AppJsonParser.parse("""
                {
                  "name": "Shop",
                  "description": "A small shop",
                  "keywords": ["python", "django"],
                  "repository": "https://example.org/shop",
                  "logo": "https://example.org/logo.svg",
                  "success_url": "/welcome",
                  "stack": "heroku-24",
                  "buildpacks": [{ "url": "heroku/python" }],
                  "addons": ["heroku-postgresql"],
                  "scripts": {
                    "postdeploy": "python manage.py loaddata demo",
                    "pr-predestroy": "echo bye",
                    "dokku": { "predeploy": "python manage.py migrate", "postdeploy": "curl -X POST https://hooks.example.org" }
                  },
                  "env": {
                    "SECRET_KEY": { "description": "signs cookies", "generator": "secret" },
                    "WEB_CONCURRENCY": { "description": "workers", "value": "5" },
                    "REQUIRED_ONE": { "required": true },
                    "DJANGO_SETTINGS_MODULE": "shop.settings",
                    "RETRIES": 3,
                    "VERBOSE": false
                  },
                  "formation": {
                    "web": { "quantity": 2, "size": "standard-1x" },
                    "worker": { "quantity": 0 },
                    "beat": { "size": "eco" }
                  },
                  "healthchecks": {
                    "web": [
                      { "type": "liveness", "path": "/alive" },
                      { "type": "startup", "name": "ready", "description": "answers", "path": "/health/ready",
                        "content": "ok", "attempts": 4, "timeout": 3, "wait": 2, "initialDelay": 6, "port": 5000 }
                    ],
                    "worker": [{ "type": "startup", "command": ["./check"] }]
                  },
                  "cron": [
                    { "command": "python manage.py clearsessions", "schedule": "0 3 * * *" }
                  ]
                }
                """);

        assertEquals(Optional.of("python manage.py migrate"), a.release());
        assertEquals(Map.of("web", 2, "worker", 0), a.formation());
        // 6 + 4 * (3 + 2) = 26 seconds, as Dokku would wait
        assertEquals(Optional.of(new HealthCheck("/health/ready", "ok", Duration.ofSeconds(26))), a.healthCheck());
        assertEquals(Map.of("WEB_CONCURRENCY", "5", "DJANGO_SETTINGS_MODULE", "shop.settings", "RETRIES", "3",
                "VERBOSE", "false"), a.env());
        assertEquals(1, a.cron().size());
        assertEquals("python manage.py clearsessions", a.cron().get(0).command());
        assertEquals("0 3 * * * python manage.py clearsessions", a.cron().get(0).line());
    }

    @Test
    void aDokkuCheckWithDefaultsWaitsThirtySeconds() throws ManifestException {
        AppJson a = AppJsonParser.parse("{\"healthchecks\": {\"web\": [{\"path\": \"/\"}]}}");

        assertEquals(Optional.of(new HealthCheck("/", "", Duration.ofSeconds(30))), a.healthCheck());
    }

    @Test
    void anEmptyObjectDeclaresNothing() throws ManifestException {
        AppJson a = AppJsonParser.parse("{}");

        assertEquals(Optional.empty(), a.release());
        assertTrue(a.formation().isEmpty());
        assertEquals(Optional.empty(), a.healthCheck());
        assertTrue(a.env().isEmpty());
        assertTrue(a.cron().isEmpty());
    }

    @Test
    void herokuPostdeployIsNotAReleaseCommand() throws ManifestException {
        assertEquals(Optional.empty(), AppJsonParser.parse("{\"scripts\": {\"postdeploy\": \"./seed\"}}").release());
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ManifestException e = failure("{\n  \"name\": \"shop\",\n  \"env\": { \"A\": \"1\" \"B\": \"2\" }\n}\n");

        assertEquals(OptionalInt.of(3), e.line());
        assertTrue(e.getMessage().startsWith("app.json line 3, column "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void truncatedJsonIsAnError() {
        ManifestException e = failure("{\n  \"name\": \"shop\",\n");

        assertEquals("app.json", e.file());
        assertTrue(e.getMessage().startsWith("app.json line "), e.getMessage());
    }

    @Test
    void trailingTextIsAnError() {
        ManifestException e = failure("{\"name\": \"shop\"}\n}\n");

        assertEquals(OptionalInt.of(2), e.line());
    }

    @Test
    void notAnObjectIsAnError() {
        assertEquals("app.json: must hold a JSON object, not array", failure("[1, 2]").getMessage());
        assertEquals("app.json: is empty; an app.json holds a JSON object", failure("  ").getMessage());
    }

    @Test
    void unusableValuesOfReadFieldsAreErrors() {
        assertEquals("app.json: formation.web.quantity must be a whole number from 0 to 100",
                failure("{\"formation\": {\"web\": {\"quantity\": \"two\"}}}").getMessage());
        assertEquals("app.json: env: Invalid config var name 'my-var': use letters, digits and underscores, not starting"
                + " with a digit.", failure("{\"env\": {\"my-var\": \"x\"}}").getMessage());
        assertEquals("app.json: formation.web.quantity must be a whole number from 0 to 100",
                failure("{\"formation\": {\"web\": {\"quantity\": 101}}}").getMessage());
        assertEquals("app.json: formation.web.quantity must be a whole number from 0 to 100",
                failure("{\"formation\": {\"web\": {\"quantity\": 4294967297}}}").getMessage());
        assertEquals("app.json: env.A must be a string, a number or a boolean",
                failure("{\"env\": {\"A\": {\"value\": [1]}}}").getMessage());
        assertEquals("app.json: healthchecks.web[0].path must start with '/' and have no spaces",
                failure("{\"healthchecks\": {\"web\": [{\"path\": \"health\"}]}}").getMessage());
        assertEquals("app.json: healthchecks.web[0].attempts must be a whole number from 0 to 3600",
                failure("{\"healthchecks\": {\"web\": [{\"path\": \"/\", \"attempts\": -1}]}}").getMessage());
        assertEquals("app.json: healthchecks.web must be a list of checks",
                failure("{\"healthchecks\": {\"web\": {\"path\": \"/\"}}}").getMessage());
        assertEquals("app.json: cron[0].schedule: minute field '99': 99 is out of range 0-59",
                failure("{\"cron\": [{\"schedule\": \"99 * * * *\", \"command\": \"./x\"}]}").getMessage());
        assertEquals("app.json: cron[1] needs a schedule and a command",
                failure("{\"cron\": [{\"schedule\": \"* * * * *\", \"command\": \"./x\"}, {\"command\": \"./y\"}]}").getMessage());
        assertEquals("app.json: scripts.dokku.predeploy must be a command",
                failure("{\"scripts\": {\"dokku\": {\"predeploy\": [\"a\"]}}}").getMessage());
    }

    @Test
    void cronEntriesAreNormalised() throws ManifestException {
        AppJson a = AppJsonParser.parse("{\"cron\": [{\"schedule\": \" 0  3 * * *\", \"command\": \" ./x \"}]}");

        assertEquals(List.of(new CronEntry(CronSchedule.parse("0 3 * * *"), "./x", "0 3 * * * ./x")), a.cron());
    }
}
