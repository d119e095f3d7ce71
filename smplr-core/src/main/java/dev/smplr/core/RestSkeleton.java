package dev.smplr.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An SMPL-like rest pose (T-pose) of the 42 SMPLR nodes: the mean of four real SMPL bodies (two female, two
 * male), measured from their posed joints and joint rotations. Metres, pelvis at the origin, SMPL's canonical
 * frame (Y up, +X the body's left, +Z the body's front). The embedded demo body is built to these
 * proportions; it also serves as a template where no body model is at hand.
 */
public final class RestSkeleton {
    private static final float[] NODES = read();

    private RestSkeleton() {
    }

    /** @return the 42 nodes of the {@link KinematicTree#smplr() SMPLR tree}, (42, 3), a new array */
    public static float[] nodes() {
        return NODES.clone();
    }

    /** @return the 24 SMPL joints, (24, 3), a new array */
    public static float[] joints() {
        return java.util.Arrays.copyOf(NODES, 3 * SmplJoint.COUNT);
    }

    /** @return the 41 root-relative SMPLR points, 123 values, a new array (the pelvis is the origin) */
    public static float[] points41() {
        return java.util.Arrays.copyOfRange(NODES, 3, 3 * SmplrPoints.NODES);
    }

    private static float[] read() {
        float[] nodes = new float[3 * SmplrPoints.NODES];
        boolean[] seen = new boolean[SmplrPoints.NODES];
        String resource = "rest-skeleton.csv";
        try (InputStream in = RestSkeleton.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                // kind,index,name,parent,x,y,z
                String[] f = line.split(",");
                int index = Integer.parseInt(f[1]);
                int node = f[0].equals("joint") ? index : SmplJoint.COUNT + index;
                String expected = KinematicTree.smplr().name(node);
                if (!expected.equals(f[2]) || KinematicTree.smplr().parent(node) != Integer.parseInt(f[3])) {
                    throw new IllegalStateException(resource + ": row '" + line + "' disagrees with the tree");
                }
                for (int a = 0; a < 3; a++) {
                    nodes[3 * node + a] = Float.parseFloat(f[4 + a]);
                }
                seen[node] = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int k = 0; k < seen.length; k++) {
            if (!seen[k]) {
                throw new IllegalStateException(resource + ": node " + k + " missing");
            }
        }
        return nodes;
    }
}
