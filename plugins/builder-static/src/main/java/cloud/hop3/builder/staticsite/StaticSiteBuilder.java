package cloud.hop3.builder.staticsite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.RuntimeSpec;
import cloud.hop3.api.build.StaticMapping;

/**
 * Builds static sites: plain files that the proxy serves without an app process. The site is
 * {@code public/}, the whole repository (when it has {@code index.html} at the top), or the
 * directory named by a {@code static: <dir>} line in the Procfile; see {@link SiteLocator}. The
 * slug holds a copy of it under {@value #SITE_DIRECTORY}/, mapped to {@code /}.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + StaticSiteBuilder.NAME,
        configurationPid = StaticSiteBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StaticSiteBuilder.Config.class)
public class StaticSiteBuilder implements Builder {

    static final String NAME = "static";
    static final String PID = "cloud.hop3.builder.static";
    static final String SITE_DIRECTORY = "site";
    private static final int DEFAULT_MAX_SITE_SIZE_MEGABYTES = 512;

    private static final Logger LOG = LoggerFactory.getLogger(StaticSiteBuilder.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 static site builder",
            description = "Builds apps made of plain files (HTML, CSS, JavaScript) into slugs that the proxy"
                    + " serves without an app process.")
    public @interface Config {

        @AttributeDefinition(name = "Priority of public/index.html",
                description = "Detection priority, a plain number, of an app that has public/index.html and no"
                        + " static: line in its Procfile. The builder with the highest priority builds the app;"
                        + " language builders use 100.")
        int publicIndexPriority() default 50;

        @AttributeDefinition(name = "Priority of index.html",
                description = "Detection priority, a plain number, of an app that has index.html at the top of"
                        + " its repository and no public/index.html. A static: line in the Procfile always has"
                        + " priority 150.")
        int rootIndexPriority() default 20;

        @AttributeDefinition(name = "Maximum site size", min = "1",
                description = "Largest site a build copies, in megabytes (1 MB is 1,048,576 bytes); a larger"
                        + " site fails the build.")
        int maxSiteSizeMegabytes() default DEFAULT_MAX_SITE_SIZE_MEGABYTES;
    }

    private final SiteLocator locator;
    private final SiteCopier copier;

    @Activate
    public StaticSiteBuilder(Config config) {
        int maxMegabytes = config.maxSiteSizeMegabytes();
        if (maxMegabytes < 1) {
            LOG.warn("{}: maxSiteSizeMegabytes is {}, but must be at least 1; using {}", PID, maxMegabytes,
                    DEFAULT_MAX_SITE_SIZE_MEGABYTES);
            maxMegabytes = DEFAULT_MAX_SITE_SIZE_MEGABYTES;
        }
        this.locator = new SiteLocator(config.publicIndexPriority(), config.rootIndexPriority());
        this.copier = new SiteCopier(maxMegabytes);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Detection> detect(Path source) {
        return locator.detect(source);
    }

    @Override
    public BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + NAME);
        Site site = locator.locate(request.source(), log);
        Path target = request.slugDirectory().resolve(SITE_DIRECTORY);
        SiteCopier.Copied copied = copier.copy(site, target, log);
        log.info("Copied " + copied.summary() + ", from " + site.shownName());
        if (!Files.isRegularFile(target.resolve(SiteLocator.INDEX_FILE))) {
            log.warn(site.shownName() + " has no " + SiteLocator.INDEX_FILE + ", so the site's root URL / shows no page.");
        }
        LOG.info("{}: built static site from {} ({})", request.app(), site.shownName(), copied.summary());
        RuntimeSpec runtime = new RuntimeSpec(Map.of(), Map.of(), List.of(),
                List.of(new StaticMapping("/", SITE_DIRECTORY)), Optional.empty());
        return new BuildArtifact(request.slugDirectory(), runtime);
    }
}
