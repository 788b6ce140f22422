package cloud.hop3.builder.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class NpmErrorsTest {

    @Test
    void notFoundNamesThePackage() {
        List<String> output = List.of(
                "npm error code E404",
                "npm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found",
                "npm error 404",
                "npm error 404  'nope@^1.0.0' is not in this registry.",
                "npm error 404",
                "npm error A complete log of this run can be found in: /cache/npm/_logs/x-debug-0.log");

        assertEquals(List.of("404 Not Found - GET https://registry.npmjs.org/nope - Not found",
                "404 'nope@^1.0.0' is not in this registry."), NpmErrors.reasons(output));
    }

    @Test
    void stackTracesAndErrorDumpsAreLeftOut() {
        List<String> output = List.of(
                "npm error code ECONNREFUSED",
                "npm error syscall connect",
                "npm error errno ECONNREFUSED",
                "npm error FetchError: request to http://127.0.0.1:9/is-number failed, reason: connect ECONNREFUSED",
                "npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/index.js:130:14)",
                "npm error   code: 'ECONNREFUSED',",
                "npm error }",
                "npm error",
                "npm error If you are behind a proxy, please make sure that the 'proxy' config is set properly.");

        assertEquals(List.of("FetchError: request to http://127.0.0.1:9/is-number failed, reason: connect ECONNREFUSED",
                "If you are behind a proxy, please make sure that the 'proxy' config is set properly."),
                NpmErrors.reasons(output));
    }

    @Test
    void olderNpmPrefixesAreUnderstoodAndOtherLinesIgnored() {
        List<String> output = List.of(
                "> demo@1.0.0 postinstall",
                "npm ERR! code ELIFECYCLE",
                "npm ERR! `npm ci` can only install packages when your package.json and package-lock.json are in sync.");

        assertEquals(List.of("`npm ci` can only install packages when your package.json and package-lock.json are in"
                + " sync."), NpmErrors.reasons(output));
        assertEquals(List.of(), NpmErrors.reasons(List.of("added 1 package in 1s")));
    }
}
