package com.example.hop3.hello;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import cloud.hop3.api.build.BuildException;

/** Reads {@code hello.txt} and writes the page that shows it. */
final class HelloPage {

    /** Largest hello.txt accepted, in bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private HelloPage() {
    }

    /** The text of {@code source/hello.txt}: a regular file inside the tree, of at most 64 KiB of UTF-8. */
    static String readText(Path source) throws BuildException {
        Path file = source.resolve(HelloBuilder.MARKER);
        try {
            if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(source.toRealPath())) {
                throw new BuildException(HelloBuilder.MARKER + " is not a file of the app (a directory, or a link"
                        + " that leads out of the repository).");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new BuildException(HelloBuilder.MARKER + " has " + size + " bytes; the hello builder takes at most "
                        + MAX_BYTES + ".");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new BuildException(HelloBuilder.MARKER + " is not UTF-8 text; save it as UTF-8.");
        } catch (IOException e) {
            throw new BuildException("Could not read " + HelloBuilder.MARKER + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code index.html} into {@code site}, which is created. */
    static void write(Path site, String app, String greeting, String text) throws BuildException {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(app) + "</title></head>\n"
                + "<body><h1>" + escape(greeting) + "</h1>\n<pre>" + escape(text) + "</pre></body></html>\n";
        try {
            Files.createDirectories(site);
            Files.writeString(site.resolve("index.html"), html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BuildException("Could not write the page: " + e.getMessage(), e);
        }
    }

    /** The text with HTML's special characters escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
