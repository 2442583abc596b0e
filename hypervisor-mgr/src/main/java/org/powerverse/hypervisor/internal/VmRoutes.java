package org.powerverse.hypervisor.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.powerverse.hypervisor.Vm;
import org.powerverse.hypervisor.VmService;
import org.powerverse.hypervisor.VmSpec;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.Job;

/** Binds the {@code /api/v1/vms} operations of the module's OpenAPI part to the {@link VmService}. */
final class VmRoutes {
  private VmRoutes() {}

  /** The body of {@code POST /vms/{name}/resize}. */
  record ResizeRequest(Integer vcpus, Long memoryMiB) {}

  static void mount(ApiRoutes routes, Supplier<VmService> vms) {
    routes.handleBlocking("listVms", request -> ApiResponse.ok(Map.of("items", vms.get().list())));
    routes.handleBlocking("createVm", request -> accepted(vms.get().create(request.body(VmSpec.class))));
    routes.handleBlocking("getVm", request -> {
      String name = request.pathParam("name");
      return ApiResponse.ok(vms.get().find(name).orElseThrow(() -> VmStore.notFound(name)));
    });
    routes.handleBlocking("deleteVm", request -> accepted(vms.get().delete(request.pathParam("name"))));
    routes.handleBlocking("vmAction", request -> {
      String name = request.pathParam("name");
      String action = request.pathParam("action");
      VmService service = vms.get();
      return switch (action) {
        case "delete" -> accepted(service.delete(name));
        case "shutdown" -> accepted(service.shutdown(name,
            request.queryParam("timeoutSeconds").map(v -> ((Number) v).intValue()).orElse(null)));
        case "resize" -> {
          ResizeRequest resize = request.body(ResizeRequest.class);
          if (resize == null || resize.vcpus() == null || resize.memoryMiB() == null) {
            throw ApiProblem.invalid("resize needs vcpus and memoryMiB",
                List.of(FieldError.body("vcpus", "is required"), FieldError.body("memoryMiB", "is required")));
          }
          yield ApiResponse.ok(service.resize(name, resize.vcpus(), resize.memoryMiB()));
        }
        default -> {
          Vm vm = service.act(name, VmService.VmAction.valueOf(action));
          yield ApiResponse.ok(vm);
        }
      };
    });
  }

  private static ApiResponse accepted(Job job) {
    return ApiResponse.accepted(job);
  }
}
