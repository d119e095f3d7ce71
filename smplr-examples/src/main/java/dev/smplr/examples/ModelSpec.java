package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.smpl.SmplModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code --model} option: an SMPL model file ({@code .pkl} or {@code .npz}) or the embedded demo body,
 * {@code demo}, {@code demo:female}, {@code demo:male} or {@code demo:neutral}.
 *
 * @param file       the model file, or null for the demo body
 * @param demoGender the demo body's gender, or null for a file
 */
record ModelSpec(Path file, Gender demoGender) {
    /** The neutral demo body. */
    static final ModelSpec DEMO = new ModelSpec(null, Gender.NEUTRAL);

    /**
     * @return the model
     * @throws IOException if the file cannot be read or is not an SMPL model
     */
    SmplModel load() throws IOException {
        if (file == null) {
            return SmplModel.demo(demoGender);
        }
        if (!Files.isRegularFile(file)) {
            throw new Smplr.UsageException("--model: no such file: " + file
                    + " (expected an SMPL .pkl/.npz, or demo[:female|male|neutral])");
        }
        return SmplModel.load(file);
    }

    @Override
    public String toString() {
        return file != null ? file.toString() : "demo:" + demoGender.name().toLowerCase(Locale.ROOT);
    }

    /** Parses the option's value. */
    static final class Converter implements CommandLine.ITypeConverter<ModelSpec> {
        @Override
        public ModelSpec convert(String value) {
            String v = value.strip();
            if (v.equals("demo")) {
                return DEMO;
            }
            if (v.startsWith("demo:")) {
                String g = v.substring(5).toUpperCase(Locale.ROOT);
                try {
                    return new ModelSpec(null, Gender.valueOf(g));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("expected demo:female, demo:male or demo:neutral, "
                            + "got '" + value + "'");
                }
            }
            if (v.isEmpty()) {
                throw new CommandLine.TypeConversionException("expected a model file or demo[:gender], got ''");
            }
            return new ModelSpec(Path.of(v), null);
        }
    }
}
