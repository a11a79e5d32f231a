package io.apex.migrator.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;

/** Prints the application version from Quarkus' build-time application info. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
        return new String[] {"apex-migrator " + version};
    }
}
