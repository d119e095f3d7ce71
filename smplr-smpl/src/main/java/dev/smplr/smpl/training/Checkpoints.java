package dev.smplr.smpl.training;

import dev.smplr.io.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Training checkpoints that survive a kill at any moment. A checkpoint is a directory {@code step-NNNNNNNNNN}
 * holding each network (DL4J's zip format with the updater state, so Adam resumes where it stopped) and
 * {@code state.json} (the trainer's counters, history and anything else it needs). It is written under a
 * temporary name and renamed when complete; then the one-line file {@code latest} is replaced atomically to
 * point at it; then older checkpoints beyond the newest {@code keep} are removed. A kill leaves either the old
 * {@code latest} or the new one, each naming a complete checkpoint; stray temporary directories are removed by
 * the next save.
 *
 * <p>Resuming is the trainer's business: with data drawn per sample index from a seeded source, the step
 * counter in the state is enough to continue the same stream.
 *
 * <p>Support for the trainers of smplr-smpl, smplr-dae and smplr-hourglass; not part of the stable API.
 */
public final class Checkpoints {
    /** The pointer file's name. */
    public static final String LATEST = "latest";
    /** The state file inside a checkpoint. */
    public static final String STATE = "state.json";
    private static final String PREFIX = "step-";
    private static final String TMP_PREFIX = ".tmp-";

    /**
     * A complete checkpoint.
     *
     * @param dir   its directory
     * @param step  the step it was taken after
     * @param state the trainer's state
     */
    public record Checkpoint(Path dir, long step, Manifest state) {
        /**
         * Restores a network with its updater state.
         *
         * @throws IOException naming the file if it is missing or unreadable
         */
        public ComputationGraph graph(String name) throws IOException {
            Path file = dir.resolve(name + ".zip");
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": expected the network " + name + " of checkpoint " + dir.getFileName()
                        + ", found none");
            }
            try {
                return ModelSerializer.restoreComputationGraph(file.toFile(), true);
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a DL4J network: " + e.getMessage(), e);
            }
        }
    }

    private Checkpoints() {
    }

    /**
     * Writes a checkpoint and makes it the latest, keeping the newest two.
     *
     * @param dir   the checkpoint directory (created if needed)
     * @param step  the number of steps done
     * @param nets  networks by name (file-name safe)
     * @param state the trainer's state (Json value types)
     * @return the checkpoint's directory
     * @throws IOException if writing fails; the previous latest checkpoint is then still the latest
     */
    public static Path save(Path dir, long step, Map<String, ComputationGraph> nets, Map<String, Object> state)
            throws IOException {
        return save(dir, step, nets, state, 2);
    }

    /**
     * As {@link #save(Path, long, Map, Map)}, keeping the newest {@code keep} (at least 1) checkpoints.
     */
    public static Path save(Path dir, long step, Map<String, ComputationGraph> nets, Map<String, Object> state,
            int keep) throws IOException {
        if (step < 0) {
            throw new IllegalArgumentException("step: expected ≥ 0, found " + step);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep: expected ≥ 1, found " + keep);
        }
        Files.createDirectories(dir);
        String name = String.format("%s%010d", PREFIX, step);
        Path tmp = Files.createTempDirectory(dir, TMP_PREFIX + name + "-");
        for (Map.Entry<String, ComputationGraph> e : nets.entrySet()) {
            Path file = tmp.resolve(e.getKey() + ".zip");
            AtomicFiles.write(file, out -> ModelSerializer.writeModel(e.getValue(), new NonClosing(out), true));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step", step);
        s.putAll(state);
        byte[] json = Json.write(s).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(tmp.resolve(STATE), out -> out.write(json));
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            deleteTree(target);
        }
        move(tmp, target);
        AtomicFiles.write(dir.resolve(LATEST), out -> out.write((name + "\n").getBytes(StandardCharsets.UTF_8)));
        prune(dir, name, keep);
        return target;
    }

    /**
     * @param dir the checkpoint directory (need not exist)
     * @return the checkpoint {@code latest} names, or empty when there is none yet
     * @throws IOException if {@code latest} names a checkpoint that is missing or whose state is unreadable
     */
    public static Optional<Checkpoint> latest(Path dir) throws IOException {
        Path pointer = dir.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        Path cp = dir.resolve(name);
        Path statePath = cp.resolve(STATE);
        if (!name.startsWith(PREFIX) || !Files.isRegularFile(statePath)) {
            throw new IOException(pointer + ": names checkpoint \"" + name + "\", which is missing or incomplete");
        }
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(statePath, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(statePath + ": not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new IOException(statePath + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Manifest state = Manifest.root(statePath.toString(), (Map<String, Object>) parsed);
        return Optional.of(new Checkpoint(cp, state.integer("step"), state));
    }

    private static void prune(Path dir, String newest, int keep) throws IOException {
        List<Path> complete = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (n.startsWith(TMP_PREFIX) && Files.isDirectory(p)) {
                    deleteTree(p); // left by a killed save
                } else if (n.startsWith(PREFIX) && Files.isDirectory(p) && !n.equals(newest)) {
                    complete.add(p);
                }
            }
        }
        complete.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < complete.size() - (keep - 1); i++) {
            deleteTree(complete.get(i));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** ModelSerializer closes its stream; AtomicFiles must still flush and force it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
