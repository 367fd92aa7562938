package io.hybridci.local.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files of the local cloud that hold secrets (key material, secret values, tokens): readable by their
 * owner only from the first byte on, so there is never a window with wider rights.
 */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /**
     * Creates {@code file} with mode 0600 (plain creation where the file system has no POSIX modes).
     *
     * @return false when the file already existed (it keeps the mode it was created with)
     */
    public static boolean createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return true;
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        }
    }

    /**
     * Replaces {@code file} with {@code content} as a whole: written to a 0600 sibling first, then moved
     * over it atomically, so a crash never leaves half a file and readers never see a partial one.
     */
    public static void replace(Path file, byte[] content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            if (!createOwnerOnly(temporary)) {
                throw new IllegalStateException("two writers on " + temporary);
            }
            Files.write(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
