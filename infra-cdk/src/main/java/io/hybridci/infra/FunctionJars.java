package io.hybridci.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Where each function's shaded jar is: {@code functions/<name>/target/<name>-<version>-lambda.jar}
 * under the repository root. The jars are built by Maven before this module (infra-cdk declares the
 * function modules as provided dependencies only for that ordering) and read by path, so the CDK app
 * deploys exactly what the build produced.
 *
 * @param root    the repository root
 * @param version the project version, which is part of every jar name
 */
public record FunctionJars(Path root, String version) {

    /** System property naming the repository root; the working directory when absent. */
    public static final String ROOT_PROPERTY = "hybridci.root";

    public FunctionJars {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(version, "version");
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Jars under {@code root}, named with the version this module was built with (filtered into
     * {@code infra-cdk.properties}): infra-cdk and the functions are always built together.
     */
    public static FunctionJars under(Path root) {
        Properties properties = new Properties();
        try (InputStream in = FunctionJars.class.getResourceAsStream("/infra-cdk.properties")) {
            if (in == null) {
                throw new IllegalStateException("infra-cdk.properties is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FunctionJars(root, properties.getProperty("version"));
    }

    /** The root from {@value #ROOT_PROPERTY}, else the working directory (cdk runs the app from the root). */
    public static FunctionJars fromSystemProperty() {
        return under(Path.of(System.getProperty(ROOT_PROPERTY, ".")));
    }

    /** The jar of this function; fails, saying how to build it, when it does not exist. */
    public Path jar(String function) {
        Path jar = root.resolve("functions").resolve(function).resolve("target")
                .resolve(function + "-" + version + "-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar for function '" + function + "' at " + jar
                    + ": run ./hybridci build first");
        }
        return jar;
    }
}
