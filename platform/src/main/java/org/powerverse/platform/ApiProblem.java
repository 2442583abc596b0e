package org.powerverse.platform;

import java.util.List;
import java.util.Objects;

/**
 * Thrown by handlers (and job work) to answer with a {@link Problem}; the API layer renders it as
 * {@code application/problem+json}. Carries no stack trace: it is an answer, not a crash.
 */
public final class ApiProblem extends RuntimeException {

  private final Problem problem;

  public ApiProblem(Problem problem) {
    super(problem.detail() == null ? problem.title() : problem.title() + ": " + problem.detail(),
        null, false, false);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public ApiProblem(String kind, String title, int status, String detail, List<FieldError> errors) {
    this(new Problem(Problem.TYPE_PREFIX + kind, title, status, detail, errors));
  }

  public Problem problem() {
    return problem;
  }

  /** 400: the request does not match the contract; {@code errors} names each bad field. */
  public static ApiProblem invalid(String detail, List<FieldError> errors) {
    return new ApiProblem("invalid-request", "Invalid request", 400, detail, errors);
  }

  public static ApiProblem invalid(FieldError error) {
    return invalid(error.field() + ": " + error.message(), List.of(error));
  }

  /** 404: the named thing does not exist. */
  public static ApiProblem notFound(String detail) {
    return new ApiProblem("not-found", "Not found", 404, detail, List.of());
  }

  /** 409: the request conflicts with the current state (a GPU already claimed). */
  public static ApiProblem conflict(String detail, List<FieldError> errors) {
    return new ApiProblem("conflict", "Conflict", 409, detail, errors);
  }

  /** 422: well-formed, but cannot be met (not enough free memory). */
  public static ApiProblem unprocessable(String detail, List<FieldError> errors) {
    return new ApiProblem("unprocessable", "Cannot be met", 422, detail, errors);
  }

  /** 503: something this request needs is not ready; the detail says why. */
  public static ApiProblem unavailable(String detail) {
    return new ApiProblem("unavailable", "Service unavailable", 503, detail, List.of());
  }
}
