package dev.smplr.smpl;

import dev.smplr.io.internal.PickleWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes any {@link SmplModel} as an official-layout {@code .pkl} for the command line's tests, through the
 * package-private {@link SmplModel#toData()} and the smplr-smpl test-jar's {@link SmplFileFixtures}. Lives in
 * this package (test sources only) because both are package-private.
 */
public final class CliFixtures {
    private CliFixtures() {
    }

    /**
     * @param model the model
     * @param file  the {@code .pkl} to write, as Python 2 cPickle wrote SMPL's files
     * @throws IOException if the file cannot be written
     */
    public static void writePkl(SmplModel model, Path file) throws IOException {
        SmplFileFixtures.writePkl(model.toData(), file, PickleWriter.Flavor.PY2);
    }
}
