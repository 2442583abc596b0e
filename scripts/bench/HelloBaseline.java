// The baseline for scripts/bench/api-throughput.sh: a plain Vert.x HTTPS server, same TLS key,
// certificate and options as the supervisor, answering every request with a fixed JSON body of the
// size of GET /api/v1/node. Run in source-file mode with the supervisor's class path:
//   java -cp 'appliance/target/dist/lib/*' scripts/bench/HelloBaseline.java KEY CERT PORT BODYFILE
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

public class HelloBaseline {
  public static void main(String[] args) throws Exception {
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[3])));
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[2]))
            .setSsl(true).setUseAlpn(true).setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
            .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(args[0]).setCertPath(args[1])))
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(body))
        .listen().toCompletionStage().toCompletableFuture().get();
    System.out.println("listening");
  }
}
