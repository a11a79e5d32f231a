package io.apex.migrator.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Deletes the {@link ScratchDirs} of a test class when the class ends with every test passed; when one failed it
 * keeps them and prints their paths once, for their logs. Registered for every test JVM through
 * META-INF/services (surefire and failsafe run test classes one after another, which the owner tracking needs).
 */
public final class ScratchDirsCleanup implements TestExecutionListener {

    /** The unique id of the top-level class running now, or null. */
    private String currentClassId;
    private String currentClass;
    private boolean currentClassFailed;

    @Override
    public synchronized void executionStarted(TestIdentifier test) {
        if (currentClassId == null && test.getSource().orElse(null) instanceof ClassSource source) {
            currentClassId = test.getUniqueId();
            currentClass = source.getClassName();
            currentClassFailed = false;
            System.setProperty(ScratchDirs.CURRENT_CLASS, currentClass);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            currentClassFailed = true;
            System.setProperty(ScratchDirs.JVM_FAILED, "true");
        }
        if (test.getUniqueId().equals(currentClassId)) {
            System.clearProperty(ScratchDirs.CURRENT_CLASS);
            List<Path> dirs = ScratchDirs.takeOwnedBy(currentClass);
            if (currentClassFailed) {
                dirs.stream().filter(Files::exists)
                        .forEach(d -> System.err.println("Kept for its logs (" + currentClass + " failed): " + d));
            } else {
                dirs.forEach(ScratchDirs::delete);
            }
            currentClassId = null;
            currentClass = null;
        }
    }
}
