package io.kvstore.boot.web;

import org.springframework.http.HttpStatus;

/** A REST call that cannot be served, with the status and a message naming the problem. */
public class KvStoreWebException extends RuntimeException {

    private final HttpStatus status;

    public KvStoreWebException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    static KvStoreWebException badRequest(String message) {
        return new KvStoreWebException(HttpStatus.BAD_REQUEST, message);
    }

    static KvStoreWebException notFound(String message) {
        return new KvStoreWebException(HttpStatus.NOT_FOUND, message);
    }
}
