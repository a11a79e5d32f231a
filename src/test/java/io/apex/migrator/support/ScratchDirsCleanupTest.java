package io.apex.migrator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class ScratchDirsCleanupTest {

    /** Directories the tests and fixture classes created, by who created them. */
    static final Map<String, Path> CREATED = new LinkedHashMap<>();

    @AfterEach
    void removeWhatWasKept() {
        CREATED.values().forEach(ScratchDirs::delete);
        CREATED.clear();
    }

    @Test
    void aPassingClassLosesItsScratchDirsAndAFailingClassKeepsThemForTheirLogs() {
        // given: two classes that each create a scratch dir with a log in it; one of them fails
        String outerClass = System.getProperty(ScratchDirs.CURRENT_CLASS);
        String jvmFailed = System.getProperty(ScratchDirs.JVM_FAILED);

        // when: both run under the listener, as failsafe runs the ITs
        try {
            LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new ScratchDirsCleanup()).build())
                    .execute(LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectClass(Passing.class), selectClass(Failing.class)).build());
        } finally {
            restore(ScratchDirs.CURRENT_CLASS, outerClass);
            restore(ScratchDirs.JVM_FAILED, jvmFailed);
        }

        // then
        assertThat(CREATED).containsOnlyKeys("Passing", "Failing");
        assertThat(CREATED.get("Passing")).as("the passing class's dir").doesNotExist();
        assertThat(CREATED.get("Failing").resolve("service.log")).as("the failing class's log").exists();
        assertThat(ScratchDirs.takeOwnedBy(Failing.class.getName())).as("still registered").isEmpty();
    }

    @Test
    void aJvmWideServiceDirIsDeletedAtTheEndUnlessATestOfTheJvmFailed() throws IOException {
        // given
        Path kept = ScratchDirs.createForJvm("apex-scratch-test-");
        Path deleted = ScratchDirs.createForJvm("apex-scratch-test-");
        CREATED.put("kept", kept);
        CREATED.put("deleted", deleted);
        Files.writeString(kept.resolve("service.log"), "a line someone needs\n");
        Files.createDirectories(deleted.resolve("data/base"));
        String jvmFailed = System.getProperty(ScratchDirs.JVM_FAILED);

        // when
        try {
            System.setProperty(ScratchDirs.JVM_FAILED, "true");
            ScratchDirs.deleteForJvm(kept);
            System.clearProperty(ScratchDirs.JVM_FAILED);
            ScratchDirs.deleteForJvm(deleted);
        } finally {
            restore(ScratchDirs.JVM_FAILED, jvmFailed);
        }

        // then
        assertThat(kept.resolve("service.log")).exists();
        assertThat(deleted).doesNotExist();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static Path createWithLog(String by) throws IOException {
        Path dir = ScratchDirs.create("apex-scratch-test-");
        CREATED.put(by, dir);
        Files.writeString(dir.resolve("service.log"), "a line someone needs\n");
        return dir;
    }

    /** Run only by the test above (surefire and failsafe skip nested classes). */
    static class Passing {

        @Test
        void createsAScratchDirAndPasses() throws IOException {
            createWithLog("Passing");
        }
    }

    static class Failing {

        @Test
        void createsAScratchDirAndFails() throws IOException {
            createWithLog("Failing");
            throw new AssertionError("a failure whose logs someone needs");
        }
    }
}
