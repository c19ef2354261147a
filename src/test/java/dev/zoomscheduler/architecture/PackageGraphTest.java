package dev.zoomscheduler.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of the function form layers (docs/design-notes.md, "Layout"): no package imports one that imports it
 * back, however indirectly, and no class lives in the root package. Read from the sources, so that a cycle fails the
 * build where it is made.
 */
class PackageGraphTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/zoomscheduler");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.zoomscheduler\\.(?:([a-z]\\w*)\\.)?[A-Z]",
            Pattern.MULTILINE);
    /** A reference to a class of another package written out in full, not imported. */
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.zoomscheduler\\.([a-z]\\w*)\\.[A-Z]");

    @Test
    void noPackageImportsOneThatImportsItBack() {
        Map<String, Set<String>> imports = imports();
        assertTrue(imports.keySet().containsAll(Set.of("tokens", "idempotency", "meetings", "connections")), "read: " + imports.keySet());
        List<String> cycles = new ArrayList<>();
        for (String from : imports.keySet()) {
            for (String to : imports.get(from)) {
                List<String> back = path(imports, to, from);
                if (back != null) {
                    cycles.add(from + " -> " + String.join(" -> ", back));
                }
            }
        }
        assertEquals(List.of(), cycles, "imports by package: " + imports);
    }

    @Test
    void theRootPackageHoldsNoClass() {
        try (Stream<Path> root = Files.list(SOURCES)) {
            assertEquals(List.of(), root.filter(Files::isRegularFile).map(Path::toString).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each package and the other packages its classes name (imports, or names written out in full). */
    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> named = imports.computeIfAbsent(pkg.isEmpty() ? "(root)" : pkg, p -> new TreeSet<>());
                String source = Files.readString(file);
                for (Pattern pattern : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = pattern.matcher(source);
                    while (m.find()) {
                        String target = m.group(1) == null ? "(root)" : m.group(1);
                        if (!target.equals(pkg)) {
                            named.add(target);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    /** The packages from {@code from} to {@code to} along imports, or null if there is no way. */
    private static List<String> path(Map<String, Set<String>> imports, String from, String to) {
        return path(imports, from, to, new TreeSet<>());
    }

    private static List<String> path(Map<String, Set<String>> imports, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return new ArrayList<>(List.of(to));
        }
        if (!seen.add(from)) {
            return null;
        }
        for (String next : imports.getOrDefault(from, Set.of())) {
            List<String> rest = path(imports, next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }
}
