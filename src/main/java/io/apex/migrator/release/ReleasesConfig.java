package io.apex.migrator.release;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where release manifests come from besides the built-in {@code releases/*.yaml}. */
@ConfigMapping(prefix = "apex.releases")
public interface ReleasesConfig {

    /**
     * A directory of release manifests ({@code NAME.yaml}), read in addition to the built-in ones; a manifest there
     * replaces a built-in one of the same name.
     */
    Optional<Path> dir();
}
