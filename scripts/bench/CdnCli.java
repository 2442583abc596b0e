// Runs cdn-node's `cid` and `car` commands outside the supervisor, for scripts/bench/cdn-cid.sh.
// With CDN_BENCH_TIMING=1 it also prints, on stderr, the seconds the command itself took (without
// JVM start-up). Compile with the module's class path: javac -cp CP -d OUT CdnCli.java
import java.util.concurrent.Callable;
import org.powerverse.cdn.CarCommand;
import org.powerverse.cdn.CidCommand;
import picocli.CommandLine;

public class CdnCli {
  public static void main(String[] args) {
    Callable<Integer> command = args.length > 0 && args[0].equals("car") ? new CarCommand() : new CidCommand();
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    long start = System.nanoTime();
    int exit = new CommandLine(command).execute(rest);
    if ("1".equals(System.getenv("CDN_BENCH_TIMING"))) {
      System.err.printf("in-process %.3f s%n", (System.nanoTime() - start) / 1e9);
    }
    System.exit(exit);
  }
}
