package cloud.hop3.builder.ruby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RubyProjectTest {

    @TempDir
    Path dir;

    @Test
    void rubyProgramsAfterExecAssignmentsAndBundleExec() {
        assertTrue(RubyProject.runsRuby("ruby app.rb"));
        assertTrue(RubyProject.runsRuby("bundle exec puma -p $PORT"));
        assertTrue(RubyProject.runsRuby("exec RUBYOPT=-W0 /usr/bin/ruby server.rb"));
        assertTrue(RubyProject.runsRuby("./server.rb"));
        assertTrue(RubyProject.runsRuby("bundle exec rails server -b 127.0.0.1 -p $PORT"));
        assertFalse(RubyProject.runsRuby("python app.py"));
        assertFalse(RubyProject.runsRuby("bundle install"));
        assertFalse(RubyProject.runsRuby("rubyish"));
        assertFalse(RubyProject.runsRuby(""));
    }

    @Test
    void webCommandOfTheProcfile() throws IOException {
        assertEquals(Optional.empty(), RubyProject.webCommand(dir));
        Files.writeString(dir.resolve("Procfile"), "# comment\nworker: ruby worker.rb\nweb:   ruby app.rb  \n");
        assertEquals(Optional.of("ruby app.rb"), RubyProject.webCommand(dir));
        Files.writeString(dir.resolve("Procfile"), "web:\nwebhook: ruby hook.rb\n");
        assertEquals(Optional.empty(), RubyProject.webCommand(dir));
    }

    @Test
    void rackServerInTheLockfile() throws IOException {
        assertFalse(RubyProject.locksARackServer(dir));
        Files.writeString(dir.resolve("Gemfile.lock"), "GEM\n  remote: https://rubygems.org/\n  specs:\n"
                + "    rack (2.2.22)\n    sinatra (3.0.5)\n      rack (~> 2.2)\n      webrick\n\nDEPENDENCIES\n  sinatra\n");
        assertFalse(RubyProject.locksARackServer(dir), "a dependency line is not a locked gem");
        Files.writeString(dir.resolve("Gemfile.lock"), "GEM\n  specs:\n    puma (6.4.0)\n      nio4r (~> 2.0)\n");
        assertTrue(RubyProject.locksARackServer(dir));
    }
}
