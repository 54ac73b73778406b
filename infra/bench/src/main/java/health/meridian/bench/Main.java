package health.meridian.bench;

import health.meridian.bench.importer.ImportCommand;
import health.meridian.bench.load.BenchCommand;
import health.meridian.bench.scale.ScaleCommand;
import java.util.Arrays;

/** Entry point of {@code ./meridian import | bench} and of the scaler behind {@code ./meridian seed --scale-from}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        if (argv.length == 0) {
            System.err.println("usage: (import <dir> | bench | bench-ui --family F | scale --from D --to D --patients N) [options]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            int exit = switch (argv[0]) {
                case "import" -> Arrays.asList(rest).contains("--transactions")
                        ? new ImportCommand().run(Arrays.stream(rest).filter(a -> !"--transactions".equals(a))
                                .toArray(String[]::new))
                        : new health.meridian.bench.importer.BulkImportCommand().run(rest);
                case "bench" -> new BenchCommand().run(rest);
                case "scale" -> new ScaleCommand().run(rest);
                case "bench-ui" -> new health.meridian.bench.ui.FirstPaintCommand().run(rest);
                default -> throw new BenchException("BENCH-0004 unknown command '" + argv[0] + "'");
            };
            System.exit(exit);
        } catch (BenchException e) {
            System.err.println("meridian: " + e.getMessage());
            System.exit(1);
        }
    }
}
