package org.powerverse.platform;

/**
 * The work of a job. Runs on a virtual thread; may block. Its return value (serialised to JSON)
 * becomes the job's result; a thrown {@link ApiProblem} becomes the job's error as it is, anything
 * else an internal error whose detail is logged, not shown.
 */
@FunctionalInterface
public interface JobWork {
  Object run(JobContext context) throws Exception;
}
