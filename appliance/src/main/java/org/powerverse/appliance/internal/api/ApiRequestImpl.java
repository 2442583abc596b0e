package org.powerverse.appliance.internal.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiRequest;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.InvalidValueException;
import org.powerverse.platform.Json;
import org.powerverse.platform.Principal;

/** A validated request as handlers see it. */
final class ApiRequestImpl implements ApiRequest {

  private final RoutingContext ctx;
  private final String operationId;
  private final Principal principal;
  private final ValidatedRequest validated;

  ApiRequestImpl(RoutingContext ctx, String operationId, Principal principal, ValidatedRequest validated) {
    this.ctx = ctx;
    this.operationId = operationId;
    this.principal = principal;
    this.validated = validated;
  }

  @Override
  public String operationId() {
    return operationId;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public String pathParam(String name) {
    RequestParameter value = validated == null ? null : validated.getPathParameters().get(name);
    if (value == null || value.isNull()) {
      throw new IllegalStateException("operation " + operationId + " has no path parameter " + name);
    }
    return String.valueOf(value.get());
  }

  @Override
  public Optional<Object> queryParam(String name) {
    RequestParameter value = validated == null ? null : validated.getQuery().get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.get());
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(ctx.request().getHeader(name));
  }

  @Override
  public <T> T body(Class<T> type) {
    io.vertx.core.buffer.Buffer body = BoundedBody.of(ctx);
    if (body == null || body.length() == 0) {
      throw ApiProblem.invalid(FieldError.body("(body)", "is required"));
    }
    try {
      return Json.MAPPER.readValue(body.getBytes(), type);
    } catch (ValueInstantiationException e) {
      String path = fieldPath(e);
      if (e.getCause() instanceof InvalidValueException bad) {
        String field = path.isEmpty() ? bad.field() : path + "." + bad.field();
        throw ApiProblem.invalid(FieldError.body(field, bad.reason()));
      }
      throw ApiProblem.invalid(FieldError.body(path.isEmpty() ? "(body)" : path,
          e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage()));
    } catch (UnrecognizedPropertyException e) {
      throw ApiProblem.invalid(FieldError.body(fieldPath(e), "is not a known field"));
    } catch (JsonMappingException e) {
      throw ApiProblem.invalid(FieldError.body(fieldPath(e).isEmpty() ? "(body)" : fieldPath(e), e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiProblem.invalid("the body is not well-formed JSON", List.of(FieldError.body("(body)", e.getMessage())));
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.toString();
  }
}
