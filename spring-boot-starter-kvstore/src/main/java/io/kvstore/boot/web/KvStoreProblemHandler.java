package io.kvstore.boot.web;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.StoreClosedException;
import io.kvstore.engine.WriteConflictException;
import io.kvstore.engine.codec.InvalidValueException;
import io.kvstore.engine.index.NoSuchIndexException;
import io.kvstore.engine.index.QueryLimitException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure of a REST call as an RFC 9457 problem detail whose {@code detail} names the
 * problem. Client mistakes are 4xx; a store that turned read-only after an I/O error is 503; only
 * a damaged store or a bug is 500. Spring MVC's own errors (missing parameters, wrong media
 * types, unreadable bodies) come out as problem details through the base class.
 */
@RestControllerAdvice(assignableTypes = {KeysController.class, QueryController.class, CollectionsController.class,
        InstancesController.class})
class KvStoreProblemHandler extends ResponseEntityExceptionHandler {

    private static final Log LOG = LogFactory.getLog(KvStoreProblemHandler.class);

    @ExceptionHandler(KvStoreWebException.class)
    ResponseEntity<ProblemDetail> web(KvStoreWebException e) {
        return problem(e.status(), e.getMessage());
    }

    @ExceptionHandler({InvalidValueException.class, IllegalArgumentException.class, QueryLimitException.class})
    ResponseEntity<ProblemDetail> badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NoSuchIndexException.class)
    ResponseEntity<ProblemDetail> noSuchIndex(NoSuchIndexException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** A write condition failed, or the instance refuses the call as configured (queries disabled). */
    @ExceptionHandler({WriteConflictException.class, IllegalStateException.class})
    ResponseEntity<ProblemDetail> conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(CorruptionException.class)
    ResponseEntity<ProblemDetail> corruption(CorruptionException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the store is damaged: " + e.getMessage());
    }

    /** Closed, or read-only after a background I/O error: the service cannot write now. */
    @ExceptionHandler({StoreClosedException.class, KvStoreException.class, UnsupportedOperationException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Anything else is a defect of the server, reported without its internals. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        LOG.error("REST call failed unexpectedly", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal error (" + e.getClass().getSimpleName()
                + "); the server log has the details");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        return ResponseEntity.status(status).body(p);
    }
}
